import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { directoryFixtures } from './directory-fixtures.js';

let ctx: TestContext;
let t: SeededTenant;
let other: SeededTenant;
let fx: ReturnType<typeof directoryFixtures>;
const url = (path = '') => `/api/v1/tenants/cos-a/classes-of-service${path}`;

beforeAll(async () => {
  ctx = await createTestContext();
  fx = directoryFixtures(ctx);
  t = await seedTenant(ctx, 'cos-a');
  other = await seedTenant(ctx, 'cos-b');
});
afterAll(async () => ctx?.close());

describe('classes of service', () => {
  it('creates, reads, lists, updates and deletes', async () => {
    const created = await t.admin.post(url(), {
      name: 'International',
      level: 'international',
      blockedPrefixes: ['0900', '+49137'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'International',
      level: 'international',
      description: null,
      blockedPrefixes: ['0900', '+49137'],
      allowedPrefixes: [],
    });
    const id = created.body.id;
    expect((await t.viewer.get(url(`/${id}`))).body.name).toBe('International');
    expect((await t.viewer.get(url('?q=intern'))).body.items.map((cos: { id: string }) => cos.id)).toEqual([id]);
    const updated = await t.admin.patch(url(`/${id}`), { level: 'national', description: 'no abroad' });
    expect(updated.body).toMatchObject({ level: 'national', description: 'no abroad' });
    expect((await t.admin.delete(url(`/${id}`))).status).toBe(204);
    expect((await t.viewer.get(url(`/${id}`))).status).toBe(404);
  });

  it('rejects bad input and duplicate names with a code, writing nothing', async () => {
    await t.admin.post(url(), { name: 'Internal', level: 'internal' });
    const before = await countRows(ctx, 'classes_of_service');
    const duplicate = await t.admin.post(url(), { name: 'Internal', level: 'national' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('name_taken');
    for (const body of [
      { name: 'x', level: 'galactic' },
      { name: '', level: 'internal' },
      { name: 'x'.repeat(201), level: 'internal' },
      { name: 'x', level: 'internal', extra: 1 },
      { name: 'x', level: 'internal', blockedPrefixes: ['09a'] },
    ]) {
      const response = await t.admin.post(url(), body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.code).toBe('validation_failed');
    }
    expect(await countRows(ctx, 'classes_of_service')).toBe(before);
  });

  it('refuses to delete a class of service while a group or PhoneMap group uses it, naming them', async () => {
    const cos = (await t.admin.post(url(), { name: 'Used', level: 'national' })).body.id;
    const groupId = await fx.group(t.tenant.id, 'Sales', { classOfServiceId: cos });
    const phonemap = await t.admin.post('/api/v1/tenants/cos-a/phonemap-groups', {
      id: 'desk-1',
      name: 'Desk',
      classOfServiceId: cos,
    });
    expect(phonemap.status).toBe(201);
    const refused = await t.admin.delete(url(`/${cos}`));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'class_of_service_in_use',
      details: { groups: [groupId], phonemapGroups: ['desk-1'] },
    });
    expect(await countRows(ctx, 'classes_of_service', 'id = ?', [cos])).toBe(1);
    await fx.sql('update groups set class_of_service_id = null where id = ?', [groupId]);
    expect((await t.admin.delete(url(`/${cos}`))).body.details).toEqual({ groups: [], phonemapGroups: ['desk-1'] });
    expect((await t.admin.delete('/api/v1/tenants/cos-a/phonemap-groups/desk-1')).status).toBe(200);
    expect((await t.admin.delete(url(`/${cos}`))).status).toBe(204);
  });

  it('isolates tenants (404) and keeps viewers read-only (403)', async () => {
    const cos = (await t.admin.post(url(), { name: 'Mine', level: 'internal' })).body.id;
    expect((await other.owner.get(url(`/${cos}`))).status).toBe(404);
    expect((await other.owner.get(`/api/v1/tenants/cos-b/classes-of-service/${cos}`)).status).toBe(404);
    expect(
      (await other.owner.patch(`/api/v1/tenants/cos-b/classes-of-service/${cos}`, { name: 'Stolen' })).status,
    ).toBe(404);
    expect((await other.owner.delete(`/api/v1/tenants/cos-b/classes-of-service/${cos}`)).status).toBe(404);
    expect((await other.owner.get('/api/v1/tenants/cos-b/classes-of-service')).body.total).toBe(0);
    const denied = await t.viewer.post(url(), { name: 'Viewer', level: 'internal' });
    expect(denied.status).toBe(403);
    expect((await t.viewer.patch(url(`/${cos}`), { name: 'V' })).status).toBe(403);
    expect((await t.viewer.delete(url(`/${cos}`))).status).toBe(403);
  });
});
