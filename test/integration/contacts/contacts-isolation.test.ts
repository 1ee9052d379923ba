import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { Group } from '#src/model/directory/group.entity.js';
import { Tenant } from '#src/model/directory/tenant.entity.js';
import { csv, download, upload } from './support.js';

let ctx: TestContext;
let a: SeededTenant;
let b: SeededTenant;
let bContact: string;
let bPhonebook: string;
let bGroup: string;
let bImport: string;

beforeAll(async () => {
  ctx = await createTestContext();
  a = await seedTenant(ctx, 'iso-a');
  b = await seedTenant(ctx, 'iso-b');
  const bBase = `/api/v1/tenants/${b.slug}`;
  bContact = (
    await b.owner.post(`${bBase}/contacts`, {
      lastName: 'Secret',
      company: 'B Corp',
      numbers: [{ type: 'work', number: '+4930555555' }],
    })
  ).body.id;
  bPhonebook = (await b.owner.post(`${bBase}/phonebooks`, { name: 'B Book' })).body.id;
  bImport = (await upload(ctx, b.tokens.owner, b.slug, csv(['last_name,work', 'Imported,4711']), 'format=csv')).body.id;
  const em = ctx.deps.orm.em.fork();
  const group = em.create(Group, { tenant: em.getReference(Tenant, b.tenant.id), name: 'B Group' });
  await em.flush();
  bGroup = group.id;
});
afterAll(async () => ctx?.close());

describe('tenant isolation of contacts and phonebooks', () => {
  it("answers 404 for every route under another tenant's slug, exactly as for a missing tenant", async () => {
    const urls = [
      `/api/v1/tenants/${b.slug}/contacts`,
      `/api/v1/tenants/${b.slug}/contacts/${bContact}`,
      `/api/v1/tenants/${b.slug}/contacts/imports/${bImport}`,
      `/api/v1/tenants/${b.slug}/contacts/export?format=csv`,
      `/api/v1/tenants/${b.slug}/phonebooks`,
      `/api/v1/tenants/${b.slug}/phonebooks/internal`,
      `/api/v1/tenants/${b.slug}/phonebooks/${bPhonebook}`,
      `/api/v1/tenants/${b.slug}/phonebooks/${bPhonebook}/contacts`,
    ];
    for (const url of urls) {
      const foreign = await a.owner.get(url);
      const missing = await a.owner.get(url.replace(b.slug, 'no-such-tenant'));
      expect(foreign.status, url).toBe(404);
      expect(foreign.body).toEqual(missing.body);
    }
    expect((await download(ctx, a.tokens.owner, b.slug, 'format=vcard')).status).toBe(404);
  });

  it("cannot change, delete or import into another tenant's contacts", async () => {
    const bBase = `/api/v1/tenants/${b.slug}`;
    expect((await a.owner.patch(`${bBase}/contacts/${bContact}`, { lastName: 'Taken' })).status).toBe(404);
    expect((await a.owner.delete(`${bBase}/contacts/${bContact}`)).status).toBe(404);
    expect(
      (await a.owner.post(`${bBase}/contacts`, { lastName: 'Planted', numbers: [{ type: 'work', number: '4711' }] }))
        .status,
    ).toBe(404);
    expect((await a.owner.post(`${bBase}/contacts/bulk-delete`, { ids: [bContact] })).status).toBe(404);
    expect((await a.owner.put(`${bBase}/contacts/permissions`, { admin: [], viewer: [] })).status).toBe(404);
    expect((await a.owner.patch(`${bBase}/phonebooks/${bPhonebook}`, { name: 'Taken' })).status).toBe(404);
    expect((await a.owner.delete(`${bBase}/phonebooks/${bPhonebook}`)).status).toBe(404);
    const before = await countRows(ctx, 'contacts', 'tenant_id = ?', [b.tenant.id]);
    const imported = await upload(ctx, a.tokens.owner, b.slug, csv(['last_name,work', 'Planted,4712']), 'format=csv');
    expect(imported.status).toBe(404);
    expect(await countRows(ctx, 'contacts', 'tenant_id = ?', [b.tenant.id])).toBe(before);
  });

  it("never reaches another tenant's rows by id through one's own slug", async () => {
    const aBase = `/api/v1/tenants/${a.slug}`;
    expect((await a.owner.get(`${aBase}/contacts/${bContact}`)).status).toBe(404);
    expect((await a.owner.patch(`${aBase}/contacts/${bContact}`, { lastName: 'Taken' })).status).toBe(404);
    expect((await a.owner.delete(`${aBase}/contacts/${bContact}`)).status).toBe(404);
    expect((await a.owner.post(`${aBase}/contacts/bulk-delete`, { ids: [bContact] })).body).toEqual({
      deleted: 0,
      notFound: [bContact],
    });
    expect((await a.owner.get(`${aBase}/contacts/imports/${bImport}`)).status).toBe(404);
    expect((await a.owner.get(`${aBase}/phonebooks/${bPhonebook}`)).status).toBe(404);
    expect((await a.owner.get(`${aBase}/contacts?phonebook=${bPhonebook}`)).status).toBe(404);
    expect((await download(ctx, a.tokens.owner, a.slug, `format=csv&phonebook=${bPhonebook}`)).status).toBe(404);
    const aBook = (await a.owner.post(`${aBase}/phonebooks`, { name: 'A Book' })).body.id;
    const join = await a.owner.post(`${aBase}/phonebooks/${aBook}/contacts`, { contactIds: [bContact] });
    expect(join.status).toBe(400);
    expect(join.body.code).toBe('unknown_reference');
    const foreignGroup = await a.owner.post(`${aBase}/phonebooks`, {
      name: 'Groups',
      visibility: 'groups',
      groupIds: [bGroup],
    });
    expect(foreignGroup.body.code).toBe('unknown_reference');
    const foreignBook = await a.owner.post(`${aBase}/contacts`, {
      lastName: 'X',
      numbers: [{ type: 'work', number: '4711' }],
      phonebookIds: [bPhonebook],
    });
    expect(foreignBook.body.code).toBe('unknown_reference');
    expect(
      (
        await upload(
          ctx,
          a.tokens.owner,
          a.slug,
          csv(['last_name,work', 'X,4713']),
          `format=csv&phonebook=${bPhonebook}`,
        )
      ).body.code,
    ).toBe('unknown_reference');
    expect((await a.owner.get(`${aBase}/contacts?q=Secret`)).body.total).toBe(0);
    const stillThere = await b.owner.get(`/api/v1/tenants/${b.slug}/contacts/${bContact}`);
    expect(stillThere.body).toMatchObject({ lastName: 'Secret', company: 'B Corp' });
  });
});
