/**
 * A vendor family's phone model catalogue: how many SIP lines (accounts/registrations) a model
 * holds and, for Yealink, the hardware id that names its common file `y0000000000XX.cfg`.
 * Unknown models of a known vendor get the family default: enough lines that nothing the admin
 * assigned is dropped (phones ignore account slots they do not have), and no common file.
 * Each family's table lives in src/modules/vendors/<family>/<family>.models.ts.
 */
export interface ModelInfo {
  /** Canonical model id, used in file names (Snom, Cisco MPP, Fanvil common files). */
  id: string;
  lines: number;
  /** Yealink hardware id (the XX of y0000000000XX.cfg). */
  hardwareId?: number;
  known: boolean;
}

export type ModelTable = Readonly<Record<string, { lines: number; hardwareId?: number }>>;

export interface ModelCatalogue {
  table: ModelTable;
  /** Lines assumed for an unknown model: the family's largest, so no assigned line is lost. */
  defaultLines: number;
  /** Reduces the many spellings a model arrives in (User-Agent, admin input) to the table key. */
  canonicalId(model: string): string;
}

export function lookupModel(catalogue: ModelCatalogue, model: string): ModelInfo {
  const id = catalogue.canonicalId(model);
  const entry = Object.hasOwn(catalogue.table, id) ? catalogue.table[id] : undefined;
  if (entry) return { id, lines: entry.lines, hardwareId: entry.hardwareId, known: true };
  return { id, lines: catalogue.defaultLines, known: false };
}
