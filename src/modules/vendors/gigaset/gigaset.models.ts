import type { ModelCatalogue, ModelTable } from '../../render/device/models.js';

/* Gigaset DECT multicell/base systems: SIP accounts (one per handset; Gigaset data sheets). */
const TABLE: ModelTable = {
  N670: { lines: 20 },
  N870: { lines: 250 },
  N870E: { lines: 250 },
};

/** `N870 IP PRO` → N870. */
function canonicalId(model: string): string {
  const upper = model.trim().toUpperCase();
  return upper
    .replace(/^GIGASET[\s-]*/, '')
    .split(/\s/)[0]!
    .replace(/[^A-Z0-9]/g, '');
}

export const GIGASET_MODELS: ModelCatalogue = { table: TABLE, defaultLines: 20, canonicalId };
