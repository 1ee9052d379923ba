import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CAPTURE_SET_CHUNK } from '#src/modules/pipeline/capture.sql.js';
import { createRelay } from '#src/modules/pipeline/pipeline.js';
import type { OutboxRelay } from '#src/modules/pipeline/relay.js';
import { defaultFanoutRegistry } from '#src/modules/pipeline/resolvers/resolvers.js';
import { PHONEBOOK_FORMATS } from '#src/modules/render/phonebook/index.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { targetsBumpedBy } from '../../helpers/target-bumps.js';

/**
 * Set-based capture on the contact tables (statement triggers with transition tables): one outbox
 * row per statement, tenant and chunk, key values as arrays, and the same fan-out as row capture.
 */
describe('set-based change capture of contacts, numbers and memberships', () => {
  let ctx: TestContext;
  let relay: OutboxRelay;
  const tenant = randomUUID();
  const otherTenant = randomUUID();
  const bookA = randomUUID();
  const bookB = randomUUID();
  const otherBook = randomUUID();
  // knex binds a JS array as one array parameter (the ORM connection would expand it into a list).
  const sql = async <T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> =>
    (await ctx.deps.orm.em.getKnex().raw(query, params as never[])).rows as T[];
  const outbox = () =>
    sql<{ tenant_id: string; table_name: string; op: string; keys: Record<string, string[]> }>(
      `select tenant_id, table_name, op, keys from change_outbox order by id`,
    );
  const variants = (book: string) => PHONEBOOK_FORMATS.map((format) => `phonebook:${book}:${format}`);

  async function insertContacts(tenantId: string, count: number, book?: string): Promise<string[]> {
    const rows = await sql<{ id: string }>(
      `insert into contacts (id, tenant_id, last_name, search_text, dedupe_key)
       select gen_random_uuid(), ?, 'Bulk ' || g, 'bulk ' || g, 'k' || g from generate_series(1, ?) g returning id`,
      [tenantId, count],
    );
    const ids = rows.map((row) => row.id);
    if (book)
      await sql(
        `insert into phonebook_contacts (id, tenant_id, phonebook_id, contact_id) select gen_random_uuid(), ?, ?, unnest(?::uuid[])`,
        [tenantId, book, ids],
      );
    return ids;
  }

  const bumpedBy = (change: () => Promise<unknown>) => targetsBumpedBy(ctx, relay, change);

  beforeAll(async () => {
    ctx = await createTestContext();
    relay = createRelay(ctx.deps, defaultFanoutRegistry(), { batchSize: 1000, pollMs: 1000 });
    await sql(
      `insert into tenants (id, slug, name) values (?, 'setcap', 'Set capture'), (?, 'setcap-other', 'Other')`,
      [tenant, otherTenant],
    );
    await sql(
      `insert into phonebooks (id, tenant_id, name, token) values (?, ?, 'A', 'tok-setcap-a'), (?, ?, 'B', 'tok-setcap-b'), (?, ?, 'O', 'tok-setcap-o')`,
      [bookA, tenant, bookB, tenant, otherBook, otherTenant],
    );
  });
  afterAll(async () => {
    await relay?.stop();
    await ctx?.close();
  });
  beforeEach(async () => {
    await sql(`delete from change_outbox`);
  });

  it('a bulk insert writes one outbox row per chunk of rows, every key value listed once', async () => {
    const count = CAPTURE_SET_CHUNK * 2 + 7;
    const ids = await insertContacts(tenant, count);
    const rows = await outbox();
    expect(rows.map((row) => `${row.table_name}:${row.op}`)).toEqual(['contacts:I', 'contacts:I', 'contacts:I']);
    expect(rows.every((row) => row.tenant_id === tenant)).toBe(true);
    expect(rows.map((row) => row.keys.id!.length)).toEqual([CAPTURE_SET_CHUNK, CAPTURE_SET_CHUNK, 7]);
    expect(rows.flatMap((row) => row.keys.id).sort()).toEqual([...ids].sort());
  });

  it('one statement touching two tenants writes separate rows per tenant', async () => {
    const [mine] = await insertContacts(tenant, 1);
    const [theirs] = await insertContacts(otherTenant, 1);
    await sql(`delete from change_outbox`);
    await sql(
      `insert into contact_numbers (id, tenant_id, contact_id, type, number, position) values
      (gen_random_uuid(), ?, ?, 'work', '+4930123', 0), (gen_random_uuid(), ?, ?, 'mobile', '+4917123', 1), (gen_random_uuid(), ?, ?, 'work', '+4930999', 0)`,
      [tenant, mine, tenant, mine, otherTenant, theirs],
    );
    const rows = await outbox();
    expect(
      rows
        .map(({ tenant_id, table_name, op, keys }) => ({ tenant_id, table_name, op, keys }))
        .sort((a, b) => a.tenant_id.localeCompare(b.tenant_id)),
    ).toEqual(
      [
        { tenant_id: tenant, table_name: 'contact_numbers', op: 'I', keys: { contact_id: [mine] } },
        { tenant_id: otherTenant, table_name: 'contact_numbers', op: 'I', keys: { contact_id: [theirs] } },
      ].sort((a, b) => a.tenant_id.localeCompare(b.tenant_id)),
    );
  });

  it('an update records new keys and the old value of a moved key; an update that changes nothing records nothing', async () => {
    const [from, to] = await insertContacts(tenant, 2);
    await sql(
      `insert into contact_numbers (id, tenant_id, contact_id, type, number, position) values (gen_random_uuid(), ?, ?, 'work', '+4930555', 0)`,
      [tenant, from],
    );
    await sql(`delete from change_outbox`);
    await sql(`update contact_numbers set number = number where contact_id = ?`, [from]);
    expect(await outbox()).toEqual([]);
    await sql(`update contact_numbers set contact_id = ? where contact_id = ?`, [to, from]);
    await sql(`update contact_numbers set number = '+4930556' where contact_id = ?`, [to]);
    const rows = await outbox();
    expect(rows.map((row) => [row.op, row.keys])).toEqual([
      ['U', { contact_id: [to], old_contact_id: [from] }],
      ['U', { contact_id: [to] }],
    ]);
  });

  it('a delete records the old keys; a rolled-back transaction records nothing', async () => {
    const ids = await insertContacts(tenant, 3);
    await sql(`delete from change_outbox`);
    await ctx.deps.orm.em
      .getKnex()
      .transaction(async (trx) => {
        await trx.raw(`delete from contacts where id = any(?::uuid[])`, [ids]);
        throw new Error('rollback');
      })
      .catch(() => undefined);
    expect(await outbox()).toEqual([]);
    await sql(`delete from contacts where id = any(?::uuid[])`, [ids]);
    const rows = await outbox();
    expect(rows.map((row) => [row.table_name, row.op, [...row.keys.id!].sort()])).toEqual([
      ['contacts', 'D', [...ids].sort()],
    ]);
  });

  it('fan-out is unchanged: bulk writes bump exactly the phonebooks the contacts are in', async () => {
    const inA = await insertContacts(tenant, 600, bookA);
    const inB = await insertContacts(tenant, 3, bookB);
    await insertContacts(otherTenant, 2, otherBook);
    while ((await relay.drainOnce()) > 0);
    expect(
      await bumpedBy(() => sql(`update contacts set first_name = 'Renamed' where id = any(?::uuid[])`, [inA])),
    ).toEqual(variants(bookA).sort());
    const numbers = await bumpedBy(() =>
      sql(
        `insert into contact_numbers (id, tenant_id, contact_id, type, number, position) select gen_random_uuid(), ?, id, 'work', '+49301', 0 from unnest(?::uuid[]) as c(id)`,
        [tenant, [...inA.slice(0, 2), inB[0]]],
      ),
    );
    expect(numbers).toEqual([...variants(bookA), ...variants(bookB)].sort());
    expect(await bumpedBy(() => sql(`delete from phonebook_contacts where contact_id = ?`, [inB[1]]))).toEqual(
      variants(bookB).sort(),
    );
    // Deleting contacts cascades to numbers and memberships: their books are bumped through the membership rows.
    expect(await bumpedBy(() => sql(`delete from contacts where id = any(?::uuid[])`, [[inA[0], inB[0]]]))).toEqual(
      [...variants(bookA), ...variants(bookB)].sort(),
    );
  });
});
