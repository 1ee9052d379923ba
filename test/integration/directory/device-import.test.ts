import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { directoryFixtures } from './directory-fixtures.js';

let ctx: TestContext;
let t: SeededTenant;
let other: SeededTenant;
let fx: ReturnType<typeof directoryFixtures>;
let account: string;
const url = (query = '') => `/api/v1/tenants/imp-a/devices/import${query}`;
const devicesOf = (tenantId: string) => countRows(ctx, 'devices', 'tenant_id = ?', [tenantId]);

beforeAll(async () => {
  ctx = await createTestContext();
  fx = directoryFixtures(ctx);
  t = await seedTenant(ctx, 'imp-a');
  other = await seedTenant(ctx, 'imp-b');
  const group = await fx.group(t.tenant.id, 'Import group');
  account = await fx.account(t.tenant.id, group, '501');
  await fx.account(other.tenant.id, await fx.group(other.tenant.id, 'Other'), '777');
  expect((await t.admin.post('/api/v1/tenants/imp-a/profiles', { name: 'Desk phones' })).status).toBe(201);
  expect(
    (await other.admin.post('/api/v1/tenants/imp-b/devices', { mac: '00:15:65:99:99:99', vendor: 'yealink' })).status,
  ).toBe(201);
});
afterAll(async () => ctx?.close());

const mixed = [
  'mac,vendor,model,profile,line1_account,line1_label,line2_account',
  '00:15:65:50:00:01,yealink,T46S,Desk phones,501,Reception,',
  'not-a-mac,yealink,T46S,,,,',
  '0015.6550.0003,Poly,VVX450,,,,',
  '00:15:65:50:00:01,snom,D785,,,,',
  '00:15:65:99:99:99,yealink,,,,,',
  '00:15:65:50:00:06,nokia,,,,,',
  '00:15:65:50:00:07,yealink,T46S,No such profile,,,',
  '00:15:65:50:00:08,yealink,T46S,,777,,',
  '00:15:65:50:00:09,yealink,T30,,,,501',
  '00:15:65:50:00:0a,yealink',
].join('\r\n');

describe('device CSV import', () => {
  it('dry run: reports every row with its line number and writes nothing', async () => {
    const before = await devicesOf(t.tenant.id);
    const response = await fx.postCsv(t.tokens.admin, url('?dryRun=true'), mixed);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ dryRun: true, atomic: false, total: 10, valid: 2, created: 0, failed: 8 });
    const byLine = Object.fromEntries(
      response.body.rows.map((row: any) => [row.line, row.status === 'error' ? row.errors[0].code : row.status]),
    );
    expect(byLine).toEqual({
      2: 'valid',
      3: 'mac_invalid',
      4: 'valid',
      5: 'mac_duplicate_in_file',
      6: 'mac_taken',
      7: 'vendor_invalid',
      8: 'unknown_reference',
      9: 'unknown_reference',
      10: 'line_index_out_of_range',
      11: 'csv_row_width',
    });
    expect(response.body.rows[3].mac).toBe('001565500001');
    expect(response.raw).not.toContain('imp-b');
    expect(await devicesOf(t.tenant.id)).toBe(before);
  });

  it('default mode: creates the good rows, reports the bad ones, shows each new secret once', async () => {
    const response = await fx.postCsv(t.tokens.admin, url(), mixed);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ dryRun: false, created: 2, failed: 8 });
    const created = response.body.rows.filter((row: any) => row.status === 'created');
    expect(created.map((row: any) => [row.line, row.mac])).toEqual([
      [2, '001565500001'],
      [4, '001565500003'],
    ]);
    for (const row of created) expect(row.provisioningSecret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const device = await t.viewer.get(`/api/v1/tenants/imp-a/devices/${created[0].deviceId}`);
    expect(device.body).toMatchObject({
      vendor: 'yealink',
      model: 'T46S',
      lines: [{ index: 1, accountId: account, label: 'Reception' }],
    });
    expect(device.body.profileId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await t.viewer.get(`/api/v1/tenants/imp-a/devices/${created[1].deviceId}`)).body.vendor).toBe('poly');
    expect(ctx.logs.join('\n')).not.toContain(created[0].provisioningSecret);
    const again = await fx.postCsv(t.tokens.admin, url(), mixed);
    expect(again.body.created).toBe(0);
    expect(again.body.rows[0].errors[0].code).toBe('mac_taken');
  });

  it('atomic mode: one bad row rejects the whole file; a clean file is created in one go', async () => {
    const before = await devicesOf(t.tenant.id);
    const bad = ['mac;vendor;line1_account', '00:15:65:60:00:01;yealink;501', '00:15:65:60:00:02;yealink;999'].join(
      '\n',
    );
    const rejected = await fx.postCsv(t.tokens.admin, url('?atomic=true'), bad);
    expect(rejected.status).toBe(400);
    expect(rejected.body.code).toBe('import_rejected');
    expect(rejected.body.details.rows.map((row: any) => [row.line, row.status])).toEqual([
      [2, 'valid'],
      [3, 'error'],
    ]);
    expect(await devicesOf(t.tenant.id)).toBe(before);
    const good = ['\ufeffmac;vendor;line1_account', '00:15:65:60:00:01;yealink;501', '00:15:65:60:00:02;fanvil;'].join(
      '\n',
    );
    const accepted = await fx.postCsv(t.tokens.admin, url('?atomic=true'), good);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ atomic: true, created: 2, failed: 0 });
    expect(await devicesOf(t.tenant.id)).toBe(before + 2);
  });

  it('refuses files it cannot read as a whole: unknown or missing columns, unclosed quotes, wrong content type', async () => {
    const before = await devicesOf(t.tenant.id);
    const cases: [string, string][] = [
      ['mac,vendor,colour\n00:15:65:70:00:01,yealink,red', 'csv_unknown_column'],
      ['mac,model\n00:15:65:70:00:01,T46S', 'csv_missing_column'],
      ['mac,vendor\n"00:15:65:70:00:01,yealink', 'csv_invalid'],
      ['', 'csv_empty'],
    ];
    for (const [csv, code] of cases) {
      const response = await fx.postCsv(t.tokens.admin, url(), csv);
      expect(response.status, csv).toBe(400);
      expect(response.body.code, csv).toBe(code);
    }
    expect((await t.admin.post(url(), { csv: 'mac,vendor' })).status).toBe(400);
    expect(await devicesOf(t.tenant.id)).toBe(before);
  });

  it('is for admins of the tenant only', async () => {
    const csv = 'mac,vendor\n00:15:65:80:00:01,yealink';
    expect((await fx.postCsv(t.tokens.viewer, url(), csv)).status).toBe(403);
    expect((await fx.postCsv(other.tokens.owner, url(), csv)).status).toBe(404);
    expect(await countRows(ctx, 'devices', 'mac = ?', ['001565800001'])).toBe(0);
  });
});
