import type { ModelCatalogue, ModelTable } from '../../render/device/models.js';

/* Grandstream: SIP accounts per model (data sheets); the P-value map covers accounts 1..6. */
const TABLE: ModelTable = {
  GXP1610: { lines: 1 },
  GXP1615: { lines: 1 },
  GXP1620: { lines: 2 },
  GXP1625: { lines: 2 },
  GXP1628: { lines: 2 },
  GXP1630: { lines: 3 },
  GXP2130: { lines: 3 },
  GXP2135: { lines: 4 },
  GXP2140: { lines: 4 },
  GXP2160: { lines: 6 },
  GXP2170: { lines: 6 },
  GRP2612: { lines: 2 },
  GRP2613: { lines: 3 },
  GRP2614: { lines: 4 },
  GRP2615: { lines: 5 },
  GRP2616: { lines: 6 },
};

/** `Grandstream GXP2170` → GXP2170. */
function canonicalId(model: string): string {
  const upper = model.trim().toUpperCase();
  return upper.replace(/^GRANDSTREAM[\s-]*/, '').replace(/[^A-Z0-9]/g, '');
}

export const GRANDSTREAM_MODELS: ModelCatalogue = { table: TABLE, defaultLines: 6, canonicalId };
