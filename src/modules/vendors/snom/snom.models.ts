import type { ModelCatalogue, ModelTable } from '../../render/device/models.js';

/* Snom D7xx/D3xx: identities per model (Snom data sheets). */
const TABLE: ModelTable = {
  D305: { lines: 4 },
  D315: { lines: 4 },
  D335: { lines: 12 },
  D345: { lines: 12 },
  D375: { lines: 12 },
  D385: { lines: 12 },
  D710: { lines: 4 },
  D712: { lines: 4 },
  D715: { lines: 4 },
  D717: { lines: 6 },
  D725: { lines: 12 },
  D735: { lines: 12 },
  D745: { lines: 12 },
  D765: { lines: 12 },
  D785: { lines: 12 },
};

/** `snomD785` → D785. */
function canonicalId(model: string): string {
  const upper = model.trim().toUpperCase();
  return upper.replace(/^SNOM[\s-]*/, '').replace(/[^A-Z0-9]/g, '');
}

export const SNOM_MODELS: ModelCatalogue = { table: TABLE, defaultLines: 12, canonicalId };
