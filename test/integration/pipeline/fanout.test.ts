import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Account } from '#src/model/directory/account.entity.js';
import { createRelay } from '#src/modules/pipeline/pipeline.js';
import type { OutboxRelay } from '#src/modules/pipeline/relay.js';
import { defaultFanoutRegistry } from '#src/modules/pipeline/resolvers/resolvers.js';
import { backfillTargets } from '#src/modules/pipeline/backfill.js';
import { PHONEBOOK_FORMATS } from '#src/modules/render/phonebook/index.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { targetGenerations, targetsBumpedBy } from '../../helpers/target-bumps.js';

/** Real directory tables: each kind of change must bump exactly the targets architecture §3 names. */
describe('fan-out on the real schema', () => {
  let ctx: TestContext;
  let relay: OutboxRelay;
  const ids = {
    tenant: randomUUID(),
    otherTenant: randomUUID(),
    group: randomUUID(),
    alice: randomUUID(),
    bob: randomUUID(),
    carol: randomUUID(),
    deskA: randomUUID(),
    deskB: randomUUID(),
    deskC: randomUUID(),
    phonemap: randomUUID(),
    cos: randomUUID(),
    book: randomUUID(),
    contact: randomUUID(),
  };
  const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
    ctx.deps.orm.em.getConnection().execute<T[]>(query, params);
  const directory = (tenant: string) => PHONEBOOK_FORMATS.map((format) => `directory:${tenant}:${format}`);
  const book = (id: string) => PHONEBOOK_FORMATS.map((format) => `phonebook:${id}:${format}`);

  const bumpedBy = (change: () => Promise<unknown>) => targetsBumpedBy(ctx, relay, change);

  beforeAll(async () => {
    ctx = await createTestContext();
    // Jobs are not consumed here; only the relay's bumps are observed.
    relay = createRelay(ctx.deps, defaultFanoutRegistry(), { batchSize: 1000, pollMs: 1000 });
    const t = ids.tenant;
    await sql(`insert into tenants (id, slug, name) values (?, 'fan', 'Fan'), (?, 'other', 'Other')`, [
      t,
      ids.otherTenant,
    ]);
    await sql(`insert into classes_of_service (id, tenant_id, name, level) values (?, ?, 'national', 'national')`, [
      ids.cos,
      t,
    ]);
    await sql(`insert into groups (id, tenant_id, name) values (?, ?, 'Sales')`, [ids.group, t]);
    for (const [id, ext] of [
      [ids.alice, '201'],
      [ids.bob, '202'],
      [ids.carol, '203'],
    ] as const) {
      await sql(
        `insert into accounts (id, tenant_id, home_group_id, extension, sip_username, sip_password, display_name) values (?, ?, ?, ?, ?, 'secret-password-1', ?)`,
        [id, t, ids.group, ext, `u${ext}`, `User ${ext}`],
      );
    }
    await sql(
      `insert into phonemap_groups (id, tenant_id, token, name, class_of_service_id) values (?, ?, 'night', 'Night', ?)`,
      [ids.phonemap, t, ids.cos],
    );
    await sql(
      `insert into phonemap_members (id, tenant_id, phonemap_group_id, account_id, active) values (gen_random_uuid(), ?, ?, ?, true), (gen_random_uuid(), ?, ?, ?, false)`,
      [t, ids.phonemap, ids.bob, t, ids.phonemap, ids.carol],
    );
    for (const [id, mac] of [
      [ids.deskA, '001565000001'],
      [ids.deskB, '001565000002'],
      [ids.deskC, '001565000003'],
    ] as const) {
      await sql(
        `insert into devices (id, tenant_id, mac, vendor, model, provisioning_secret) values (?, ?, ?, 'yealink', 'T46S', 'device-secret-xyz')`,
        [id, t, mac],
      );
    }
    await sql(
      `insert into device_lines (id, tenant_id, device_id, line_index, account_id) values (gen_random_uuid(), ?, ?, 1, ?)`,
      [t, ids.deskA, ids.alice],
    );
    await sql(
      `insert into device_lines (id, tenant_id, device_id, line_index, phonemap_group_id) values (gen_random_uuid(), ?, ?, 1, ?)`,
      [t, ids.deskB, ids.phonemap],
    );
    await sql(`insert into phonebooks (id, tenant_id, name, token) values (?, ?, 'Company', 'tok-fanout-book')`, [
      ids.book,
      t,
    ]);
    await sql(
      `insert into contacts (id, tenant_id, first_name, last_name, search_text, dedupe_key) values (?, ?, 'Eve', 'Example', 'eve example', 'eve example|')`,
      [ids.contact, t],
    );
    await sql(
      `insert into phonebook_contacts (id, tenant_id, phonebook_id, contact_id) values (gen_random_uuid(), ?, ?, ?)`,
      [t, ids.book, ids.contact],
    );
  });
  afterAll(async () => {
    await relay?.stop();
    await ctx?.close();
  });
  beforeEach(async () => {
    while ((await relay.drainOnce()) > 0);
  });

  it('an account edited through the ORM bumps its devices and the internal directory, nothing else', async () => {
    const bumped = await bumpedBy(async () => {
      const em = ctx.deps.orm.em.fork();
      const alice = await em.findOneOrFail(Account, { id: ids.alice });
      alice.displayName = 'Alice Renamed';
      await em.flush();
    });
    expect(bumped).toEqual([`device:${ids.deskA}`, ...directory(ids.tenant)].sort());
  });

  it('a bulk SQL update of contacts bumps the phonebook variants only, never a device', async () => {
    const bumped = await bumpedBy(() =>
      sql(`update contacts set first_name = first_name || '!' where tenant_id = ?`, [ids.tenant]),
    );
    expect(bumped).toEqual(book(ids.book).sort());
  });

  it('a raw SQL insert of a device line bumps that device only', async () => {
    const bumped = await bumpedBy(() =>
      sql(
        `insert into device_lines (id, tenant_id, device_id, line_index, account_id) values (gen_random_uuid(), ?, ?, 1, ?)`,
        [ids.tenant, ids.deskC, ids.carol],
      ),
    );
    expect(bumped).toEqual([`device:${ids.deskC}`]);
  });

  it('switching the active PhoneMap member bumps the bound devices', async () => {
    const bumped = await bumpedBy(async () => {
      const knex = ctx.deps.orm.em.getKnex();
      await knex.transaction(async (trx) => {
        await trx.raw(`update phonemap_members set active = false where phonemap_group_id = ?`, [ids.phonemap]);
        await trx.raw(`update phonemap_members set active = true where phonemap_group_id = ? and account_id = ?`, [
          ids.phonemap,
          ids.carol,
        ]);
      });
    });
    expect(bumped).toEqual([`device:${ids.deskB}`]);
  });

  it('a group change reaches the devices of its accounts, including PhoneMap-bound ones', async () => {
    const bumped = await bumpedBy(() =>
      sql(`update groups set class_of_service_id = ? where id = ?`, [ids.cos, ids.group]),
    );
    expect(bumped).toEqual(
      [`device:${ids.deskA}`, `device:${ids.deskB}`, `device:${ids.deskC}`, ...directory(ids.tenant)].sort(),
    );
  });

  it('a rolled-back change bumps nothing', async () => {
    const bumped = await bumpedBy(() =>
      ctx.deps.orm.em
        .getKnex()
        .transaction(async (trx) => {
          await trx.raw(`update accounts set display_name = 'ghost' where id = ?`, [ids.alice]);
          throw new Error('rollback');
        })
        .catch(() => undefined),
    );
    expect(bumped).toEqual([]);
  });

  it('a reported firmware update on the device row is not a configuration change', async () => {
    const bumped = await bumpedBy(() => sql(`update devices set firmware = '66.86.0.15' where id = ?`, [ids.deskA]));
    expect(bumped).toEqual([]);
  });

  it('deleting a device removes its target; other tenants are never touched', async () => {
    await sql(`delete from devices where id = ?`, [ids.deskC]);
    while ((await relay.drainOnce()) > 0);
    const all = await targetGenerations(ctx);
    expect([...all.keys()]).not.toContain(`device:${ids.deskC}`);
    // The other tenant's own directory targets exist from its creation and were never bumped since.
    const foreign = [...all.entries()].filter(([key]) => key.includes(ids.otherTenant));
    expect(foreign.map(([key]) => key).sort()).toEqual(directory(ids.otherTenant).sort());
    expect(foreign.every(([, gen]) => gen === '1')).toBe(true);
  });

  it('backfill recreates missing targets (e.g. a phonebook format added in a release) and is idempotent', async () => {
    await sql(`delete from render_targets where target_key like ?`, [`phonebook:${ids.book}:%`]);
    const knex = ctx.deps.orm.em.getKnex();
    expect(await backfillTargets(knex)).toBe(PHONEBOOK_FORMATS.length);
    const keys = [...(await targetGenerations(ctx)).keys()].filter((key) => key.startsWith(`phonebook:${ids.book}:`));
    expect(keys.sort()).toEqual(book(ids.book).sort());
    expect(await backfillTargets(knex)).toBe(0);
  });
});
