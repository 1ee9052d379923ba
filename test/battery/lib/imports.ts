import type pg from 'pg';
import { until } from './admin.js';
import type { SeededTenant } from './seed.js';
import { contactsCsv } from './seed.js';

export interface ImportRow {
  status: string;
  rows_read: number;
  created: number;
  merged: number;
  failed: number;
  failure: string | null;
}

/** Uploads a contacts CSV (large enough to be a job) and returns the import id. */
export async function startContactsImport(
  tenant: SeededTenant,
  rows: number,
  tag: string,
  numberOffset: number,
): Promise<string> {
  const answer = await tenant.owner.ok<{ id: string }>(
    'POST',
    `/api/v1/tenants/${tenant.slug}/contacts/import?format=csv`,
    contactsCsv(rows, tag, numberOffset),
    { timeoutMs: 120_000 },
  );
  return answer.id;
}

export async function importRow(db: pg.Pool, id: string): Promise<ImportRow | undefined> {
  const { rows } = await db.query(
    `select status, rows_read, created, merged, failed, failure from contact_imports where id = $1`,
    [id],
  );
  return rows[0] as ImportRow | undefined;
}

/** Waits for the import to end (done or failed); resolves with its row. */
export async function importFinished(db: pg.Pool, id: string, timeoutMs: number): Promise<ImportRow> {
  return until(
    async () => {
      const row = await importRow(db, id);
      return row && (row.status === 'done' || row.status === 'failed') ? row : undefined;
    },
    timeoutMs,
    `contacts import ${id} to finish`,
    500,
  );
}

/**
 * What an import of `rows` distinct contacts must leave: each first name `<tag><i>` exactly
 * once in the tenant. Returns how many are missing and how many are there more than once.
 */
export async function importedContacts(
  db: pg.Pool,
  tenantId: string,
  tag: string,
  rows: number,
): Promise<{ present: number; missing: number; duplicated: number }> {
  const { rows: found } = await db.query(
    `select first_name, count(*)::int as n from contacts where tenant_id = $1 and first_name like $2 group by first_name`,
    [tenantId, `${tag}%`],
  );
  const counts = new Map((found as { first_name: string; n: number }[]).map((row) => [row.first_name, row.n]));
  let missing = 0;
  let duplicated = 0;
  for (let i = 0; i < rows; i++) {
    const n = counts.get(`${tag}${i}`) ?? 0;
    if (n === 0) missing += 1;
    if (n > 1) duplicated += n - 1;
  }
  return { present: counts.size, missing, duplicated };
}
