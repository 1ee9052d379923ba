import type pg from 'pg';
import { sleep } from './admin.js';
import type { SeededTenant } from './seed.js';

/**
 * Time from `since` until a rename of the probe contact made now is in its small phonebook's
 * stored Yealink file:
 * the whole path (API → outbox → relay → Redis queue → render worker → artifact) works again.
 * The rename is retried until the API acknowledges it.
 */
export async function timeToRenderedChange(
  db: pg.Pool,
  tenant: SeededTenant,
  probe: { contactId: string; bookToken: string },
  value: string,
  since: number,
  timeoutMs: number,
): Promise<number | undefined> {
  const contactId = probe.contactId;
  const deadline = Date.now() + timeoutMs;
  const path = `pb/${probe.bookToken}/yealink.xml`;
  let acknowledged = false;
  while (Date.now() < deadline) {
    if (!acknowledged) {
      const answer = await tenant.owner
        .request(
          'PATCH',
          `/api/v1/tenants/${tenant.slug}/contacts/${contactId}`,
          { lastName: value },
          { timeoutMs: 10_000 },
        )
        .catch(() => undefined);
      acknowledged = !!answer && answer.status < 300;
    }
    if (acknowledged) {
      const { rows } = await db
        .query(`select position($1::bytea in body) > 0 as seen from artifacts where serve_path = $2`, [
          Buffer.from(value),
          path,
        ])
        .catch(() => ({ rows: [] }));
      if ((rows[0] as { seen: boolean } | undefined)?.seen) return Date.now() - since;
    }
    await sleep(100);
  }
  return undefined;
}
