import type { ModelCatalogue, ModelTable } from '../../render/device/models.js';

/* Cisco MPP (3PCC firmware): extensions per model (line keys; wazo-provd-plugins _NB_FKEY). */
const TABLE: ModelTable = {
  'CP-6821': { lines: 2 },
  'CP-6841': { lines: 4 },
  'CP-6851': { lines: 4 },
  'CP-6861': { lines: 4 },
  'CP-6871': { lines: 6 },
  'CP-7811': { lines: 1 },
  'CP-7821': { lines: 2 },
  'CP-7832': { lines: 1 },
  'CP-7841': { lines: 4 },
  'CP-7861': { lines: 16 },
  'CP-8811': { lines: 10 },
  'CP-8841': { lines: 10 },
  'CP-8845': { lines: 10 },
  'CP-8851': { lines: 10 },
  'CP-8861': { lines: 10 },
  'CP-8865': { lines: 10 },
};

/** `CP-8841-3PCC`/`8841` → CP-8841. */
function canonicalId(model: string): string {
  const upper = model.trim().toUpperCase();
  const digits = /(\d{4})/.exec(upper);
  return digits ? `CP-${digits[1]}` : upper.replace(/[^A-Z0-9-]/g, '');
}

export const CISCO_MPP_MODELS: ModelCatalogue = { table: TABLE, defaultLines: 10, canonicalId };
