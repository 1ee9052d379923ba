import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEAR_EVERY, importDevices } from '#src/modules/devices/import/device-import.service.js';
import { Tenant } from '#src/model/directory/tenant.entity.js';
import { countRows, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { directoryFixtures } from './directory-fixtures.js';

/** Large device files: one transaction for the whole file, without a unit of work that grows per row. */
let ctx: TestContext;
let t: SeededTenant;
const url = (query = '') => `/api/v1/tenants/imp-big/devices/import${query}`;
const devicesOf = (tenantId: string) => countRows(ctx, 'devices', 'tenant_id = ?', [tenantId]);
const sql = (query: string, params: unknown[] = []) => ctx.deps.orm.em.fork().getConnection().execute(query, params);

/** `rows` devices with MACs from `base`; every third row has line 1 bound to extension 601. */
function deviceCsv(rows: number, base: number): string {
  const lines = ['mac,vendor,model,line1_account,line1_label'];
  for (let i = 0; i < rows; i++) {
    const mac = (0x001565000000 + base + i).toString(16).padStart(12, '0');
    lines.push(i % 3 === 0 ? `${mac},yealink,T46S,601,Desk ${i}` : `${mac},yealink,T46S,,`);
  }
  return lines.join('\r\n');
}

beforeAll(async () => {
  ctx = await createTestContext();
  const fx = directoryFixtures(ctx);
  t = await seedTenant(ctx, 'imp-big');
  await fx.account(t.tenant.id, await fx.group(t.tenant.id, 'Big import'), '601');
});
afterAll(async () => ctx?.close());

describe('atomic device import of a large file', () => {
  it('creates a few thousand rows in one go, with their lines', async () => {
    const before = await devicesOf(t.tenant.id);
    const response = await directoryFixtures(ctx).postCsv(
      t.tokens.admin,
      url('?atomic=true'),
      deviceCsv(3000, 0x100000),
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ atomic: true, total: 3000, created: 3000, failed: 0 });
    expect(await devicesOf(t.tenant.id)).toBe(before + 3000);
    expect(await countRows(ctx, 'device_lines', 'tenant_id = ? and account_id is not null', [t.tenant.id])).toBe(1000);
    expect(new Set(response.body.rows.map((row: { deviceId: string }) => row.deviceId)).size).toBe(3000);
  });

  it('keeps the unit of work bounded: after a large file it holds at most a few chunks of entities', async () => {
    const em = ctx.deps.orm.em.fork() as EntityManager;
    const tenant = await em.findOneOrFail(Tenant, { id: t.tenant.id });
    for (const atomic of [true, false]) {
      const report = await importDevices(em, tenant, deviceCsv(atomic ? 1000 : 400, atomic ? 0x200000 : 0x300000), {
        dryRun: false,
        atomic,
      });
      expect(report.created).toBe(atomic ? 1000 : 400);
      // Devices and lines of every row would be 1,333 (atomic) or 534 entities; only a chunk's may remain.
      expect(em.getUnitOfWork().getIdentityMap().keys().length).toBeLessThan(3 * CLEAR_EVERY);
    }
  });

  it('rolls back every row, including the chunks already written, when a late row fails in the database', async () => {
    const before = await devicesOf(t.tenant.id);
    const csv = deviceCsv(1500, 0x400000);
    const lastMac = (0x001565000000 + 0x400000 + 1499).toString(16).padStart(12, '0');
    // A failure only the write can meet (planning passes): the database refuses the last device.
    await sql(
      `create function refuse_device() returns trigger language plpgsql as $$ begin raise exception 'refused' using errcode = 'check_violation'; end $$`,
    );
    await sql(
      `create trigger refuse_device before insert on devices for each row when (new.mac = '${lastMac}') execute function refuse_device()`,
    );
    try {
      const response = await directoryFixtures(ctx).postCsv(t.tokens.admin, url('?atomic=true'), csv);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(await devicesOf(t.tenant.id)).toBe(before);
      expect(await countRows(ctx, 'devices', `mac like '0015654%'`)).toBe(0);
    } finally {
      await sql(`drop trigger refuse_device on devices`);
      await sql(`drop function refuse_device()`);
    }
  });

  it('rejects the whole file when one row is invalid, writing nothing', async () => {
    const before = await devicesOf(t.tenant.id);
    const csv = deviceCsv(2000, 0x500000).replace(
      /\r\n[0-9a-f]{12},yealink,T46S,,\s*$/,
      '\r\nnot-a-mac,yealink,T46S,,',
    );
    const response = await directoryFixtures(ctx).postCsv(t.tokens.admin, url('?atomic=true'), csv);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('import_rejected');
    expect(
      response.body.details.rows
        .filter((row: { status: string }) => row.status === 'error')
        .map((row: { line: number }) => row.line),
    ).toEqual([2001]);
    expect(await devicesOf(t.tenant.id)).toBe(before);
  });
});
