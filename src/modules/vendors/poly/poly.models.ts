import type { ModelCatalogue, ModelTable } from '../../render/device/models.js';

/* Poly UC Software: registrations per model (UC Software admin guide line tables). */
const TABLE: ModelTable = {
  VVX101: { lines: 1 },
  VVX150: { lines: 2 },
  VVX201: { lines: 2 },
  VVX250: { lines: 4 },
  VVX300: { lines: 6 },
  VVX301: { lines: 6 },
  VVX310: { lines: 6 },
  VVX311: { lines: 6 },
  VVX350: { lines: 6 },
  VVX400: { lines: 12 },
  VVX401: { lines: 12 },
  VVX410: { lines: 12 },
  VVX411: { lines: 12 },
  VVX450: { lines: 12 },
  VVX500: { lines: 12 },
  VVX501: { lines: 12 },
  VVX600: { lines: 16 },
  VVX601: { lines: 16 },
  SPIP335: { lines: 2 },
  SPIP450: { lines: 3 },
  SPIP550: { lines: 4 },
  SPIP650: { lines: 6 },
};

/** `VVX_450` → VVX450. */
function canonicalId(model: string): string {
  const upper = model.trim().toUpperCase();
  return upper.replace(/^(POLY(COM)?[\s-]*)/, '').replace(/[\s_-]+/g, '');
}

export const POLY_MODELS: ModelCatalogue = { table: TABLE, defaultLines: 12, canonicalId };
