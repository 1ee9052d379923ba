import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createToken, seedTenant, type ApiClient, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { csv, download, upload } from './support.js';

let ctx: TestContext;
let t: SeededTenant;
let base: string;
let contactId: string;
let phonebookId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  t = await seedTenant(ctx, 'perm', { defaultCountry: 'DE' });
  base = `/api/v1/tenants/${t.slug}`;
  contactId = (
    await t.owner.post(`${base}/contacts`, { lastName: 'Kept', numbers: [{ type: 'work', number: '4711' }] })
  ).body.id;
  phonebookId = (await t.owner.post(`${base}/phonebooks`, { name: 'Book' })).body.id;
});
afterAll(async () => ctx?.close());

const file = csv(['last_name,work', 'Imported,4712']);

/** Status of one request per permission, for a client with the given token. */
async function attempts(client: ApiClient, token: string): Promise<Record<string, number>> {
  return {
    view: (await client.get(`${base}/contacts`)).status,
    viewPhonebooks: (await client.get(`${base}/phonebooks/${phonebookId}`)).status,
    add: (await client.post(`${base}/contacts`, { lastName: 'New', numbers: [{ type: 'work', number: '4713' }] }))
      .status,
    edit: (await client.patch(`${base}/contacts/${contactId}`, { title: 'Edited' })).status,
    editPhonebook: (await client.post(`${base}/phonebooks/${phonebookId}/contacts`, { contactIds: [contactId] }))
      .status,
    delete: (await client.post(`${base}/contacts/bulk-delete`, { ids: ['00000000-0000-4000-8000-000000000000'] }))
      .status,
    import: (await upload(ctx, token, t.slug, file, 'format=csv&dryRun=true')).status,
    export: (await download(ctx, token, t.slug, 'format=csv')).status,
  };
}

describe('contact permissions', () => {
  it('default: viewers may only view; admins and owners may do everything', async () => {
    expect(await attempts(t.viewer, t.tokens.viewer)).toEqual({
      view: 200,
      viewPhonebooks: 200,
      add: 403,
      edit: 403,
      editPhonebook: 403,
      delete: 403,
      import: 403,
      export: 403,
    });
    const all = {
      view: 200,
      viewPhonebooks: 200,
      add: 201,
      edit: 200,
      editPhonebook: 200,
      delete: 200,
      import: 200,
      export: 200,
    };
    expect(await attempts(t.admin, t.tokens.admin)).toEqual(all);
    expect(await attempts(t.owner, t.tokens.owner)).toEqual(all);
  });

  it('refuses with 403 and the code permission_denied, naming the permission', async () => {
    const refused = await t.viewer.post(`${base}/contacts`, {
      lastName: 'New',
      numbers: [{ type: 'work', number: '4713' }],
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'permission_denied', details: { permission: 'add' } });
    expect((await upload(ctx, t.tokens.viewer, t.slug, file, 'format=csv')).body.code).toBe('permission_denied');
  });

  it('lets only the owner read and change the permissions', async () => {
    expect((await t.admin.get(`${base}/contacts/permissions`)).status).toBe(403);
    expect((await t.admin.put(`${base}/contacts/permissions`, { admin: [], viewer: [] })).body.code).toBe(
      'role_insufficient',
    );
    expect((await t.owner.get(`${base}/contacts/permissions`)).body).toEqual({
      owner: ['view', 'add', 'edit', 'delete', 'import', 'export'],
      admin: ['view', 'add', 'edit', 'delete', 'import', 'export'],
      viewer: ['view'],
    });
  });

  it('applies a changed configuration to every token of the role, in this tenant only', async () => {
    const other = await seedTenant(ctx, 'perm-other');
    const changed = await t.owner.put(`${base}/contacts/permissions`, {
      admin: ['export', 'view'],
      viewer: ['export', 'view', 'import'],
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({
      owner: ['view', 'add', 'edit', 'delete', 'import', 'export'],
      admin: ['view', 'export'],
      viewer: ['view', 'import', 'export'],
    });
    const freshViewer = await createToken(ctx, 'viewer', t.tenant);
    expect(await attempts(apiClient(ctx, freshViewer), freshViewer)).toEqual({
      view: 200,
      viewPhonebooks: 200,
      add: 403,
      edit: 403,
      editPhonebook: 403,
      delete: 403,
      import: 200,
      export: 200,
    });
    expect(await attempts(t.admin, t.tokens.admin)).toEqual({
      view: 200,
      viewPhonebooks: 200,
      add: 403,
      edit: 403,
      editPhonebook: 403,
      delete: 403,
      import: 403,
      export: 200,
    });
    expect((await other.owner.get(`/api/v1/tenants/${other.slug}/contacts/permissions`)).body.viewer).toEqual(['view']);
    const closed = await t.owner.put(`${base}/contacts/permissions`, { admin: [], viewer: [] });
    expect(closed.body.viewer).toEqual([]);
    expect((await t.viewer.get(`${base}/contacts`)).body.code).toBe('permission_denied');
    expect((await t.owner.get(`${base}/contacts`)).status).toBe(200);
    expect(
      (await t.owner.put(`${base}/contacts/permissions`, { admin: ['view'], viewer: ['view'], owner: [] })).status,
    ).toBe(400);
    expect((await t.owner.put(`${base}/contacts/permissions`, { admin: ['fly'], viewer: [] })).status).toBe(400);
  });
});
