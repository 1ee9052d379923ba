import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

// Any byte sequence in a device CSV gets a clear per-row or per-file answer, never a 500
// (Postgres refuses NUL in text, also in a lookup such as a profile name).
let ctx: TestContext;
let t: SeededTenant;

beforeAll(async () => {
  ctx = await createTestContext();
  t = await seedTenant(ctx, 'dev-bytes');
  expect((await t.admin.post('/api/v1/tenants/dev-bytes/profiles', { name: 'Desk phones' })).status).toBe(201);
});
afterAll(async () => ctx?.close());

async function post(payload: Buffer, query = '') {
  const response = await ctx.admin.inject({
    method: 'POST',
    url: `/api/v1/tenants/dev-bytes/devices/import${query}`,
    headers: { authorization: `Bearer ${t.tokens.admin}`, 'content-type': 'text/csv' },
    payload,
  });
  return { status: response.statusCode, body: response.json() };
}
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('device CSV import: any byte sequence', () => {
  it('NUL in a profile name, a model or a label: that row is refused; the others import', async () => {
    const file = bytes(
      'mac,vendor,model,profile,line1_label\r\n',
      '00:15:65:60:00:01,yealink,T46S,Desk',
      [0],
      'phones,\r\n',
      '00:15:65:60:00:02,yealink,T4',
      [0],
      '6S,,\r\n',
      '00:15:65:60:00:03,yealink,T46S,,Re',
      [0],
      'ception\r\n',
      '00:15:65:60:00:04,yealink,T4',
      [0xff],
      '6S,,\r\n',
      '00:15:65:60:00:05,yealink,T46S,Desk phones,\r\n',
    );
    const response = await post(file);
    expect(response.status).toBeLessThan(500);
    const statuses = response.body.rows.map((r: { line: number; status: string }) => [r.line, r.status]);
    expect(statuses).toEqual([
      [2, 'error'],
      [3, 'error'],
      [4, 'error'],
      [5, 'error'],
      [6, 'created'],
    ]);
    expect(await countRows(ctx, 'devices', 'tenant_id = ?', [t.tenant.id])).toBe(1);
  });

  it('NUL in the header refuses the file with a 400, nothing written', async () => {
    const response = await post(bytes('mac,vendor,mo', [0], 'del\r\n', '00:15:65:60:00:11,yealink,T46S\r\n'));
    expect(response.status).toBe(400);
    expect(await countRows(ctx, 'devices', 'mac = ?', ['001565600011'])).toBe(0);
  });
});
