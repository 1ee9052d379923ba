import type { ModelCatalogue, ModelTable } from '../../render/device/models.js';

/* Cisco enterprise SIP firmware: line buttons per model (Cisco data sheets). */
const TABLE: ModelTable = {
  '7941': { lines: 2 },
  '7942': { lines: 2 },
  '7945': { lines: 2 },
  '7961': { lines: 6 },
  '7962': { lines: 6 },
  '7965': { lines: 6 },
  '7975': { lines: 8 },
  '8941': { lines: 4 },
  '8945': { lines: 4 },
  '8961': { lines: 5 },
  '9951': { lines: 5 },
  '9971': { lines: 6 },
};

/** `CP-8841`/`8841` → 8841. */
function canonicalId(model: string): string {
  const upper = model.trim().toUpperCase();
  const digits = /(\d{4})/.exec(upper);
  return digits ? digits[1]! : upper.replace(/[^A-Z0-9]/g, '');
}

export const CISCO_ENTERPRISE_MODELS: ModelCatalogue = { table: TABLE, defaultLines: 2, canonicalId };
