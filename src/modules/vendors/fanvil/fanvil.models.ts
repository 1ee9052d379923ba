import type { ModelCatalogue, ModelTable } from '../../render/device/models.js';

/* Fanvil X-series: SIP lines per model (Fanvil data sheets). */
const TABLE: ModelTable = {
  X1S: { lines: 2 },
  X1SP: { lines: 2 },
  X3S: { lines: 4 },
  X3SP: { lines: 4 },
  X3U: { lines: 6 },
  X4U: { lines: 12 },
  X5U: { lines: 16 },
  X6U: { lines: 20 },
  X7: { lines: 20 },
  X7C: { lines: 20 },
  X210: { lines: 20 },
};

/** `Fanvil X4U` → X4U. */
function canonicalId(model: string): string {
  const upper = model.trim().toUpperCase();
  return upper.replace(/^FANVIL[\s-]*/, '').replace(/[^A-Z0-9]/g, '');
}

export const FANVIL_MODELS: ModelCatalogue = { table: TABLE, defaultLines: 20, canonicalId };
