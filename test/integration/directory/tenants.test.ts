import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, countRows, createToken, seedTenant, type ApiClient } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { Group } from '#src/model/directory/group.entity.js';
import { Profile } from '#src/model/directory/profile.entity.js';
import { Tenant } from '#src/model/directory/tenant.entity.js';

let ctx: TestContext;
let platform: ApiClient;

beforeAll(async () => {
  ctx = await createTestContext();
  platform = apiClient(ctx, await createToken(ctx, 'platform', null));
});
afterAll(async () => ctx?.close());

describe('tenants (platform)', () => {
  it('creates, reads, lists, updates and deletes a tenant', async () => {
    const created = await platform.post('/api/v1/tenants', {
      slug: 'acme',
      name: 'ACME',
      maxAccounts: 5,
      defaultCountry: 'CH',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      slug: 'acme',
      name: 'ACME',
      maxAccounts: 5,
      accountCount: 0,
      defaultCountry: 'CH',
      defaultProfileId: expect.any(String),
    });
    expect((await platform.get('/api/v1/tenants/acme')).body.id).toBe(created.body.id);
    const list = await platform.get('/api/v1/tenants?q=acm');
    expect(list.body.items.map((tenant: { slug: string }) => tenant.slug)).toEqual(['acme']);
    const updated = await platform.patch('/api/v1/tenants/acme', { maxAccounts: 10, defaultCountry: null });
    expect(updated.body).toMatchObject({ maxAccounts: 10, defaultCountry: null });
    expect((await platform.delete('/api/v1/tenants/acme')).status).toBe(204);
    expect((await platform.get('/api/v1/tenants/acme')).status).toBe(404);
  });

  it('rejects a duplicate slug (409) and bad input (400), writing nothing', async () => {
    await platform.post('/api/v1/tenants', { slug: 'dup', name: 'Dup' });
    const before = await countRows(ctx, 'tenants');
    const duplicate = await platform.post('/api/v1/tenants', { slug: 'dup', name: 'Dup again' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('tenant_slug_taken');
    for (const body of [
      { slug: 'Bad Slug', name: 'x' },
      { slug: 'ok-slug', name: '' },
      { slug: 'ok-slug', name: 'x'.repeat(201) },
      { slug: 'ok-slug', name: 'x', maxAccounts: 'many' },
      { slug: 'ok-slug', name: 'x', unknownField: 1 },
      { slug: 'ok-slug', name: 'x', defaultCountry: 'XX' },
    ]) {
      const response = await platform.post('/api/v1/tenants', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(typeof response.body.code).toBe('string');
    }
    expect(await countRows(ctx, 'tenants')).toBe(before);
  });

  it('needs ?confirm=true to delete a tenant that is not empty, then removes everything it owns', async () => {
    const seeded = await seedTenant(ctx, 'full');
    const em = ctx.deps.orm.em.fork();
    em.create(Group, { tenant: em.getReference(Tenant, seeded.tenant.id), name: 'G' });
    await em.flush();
    const refused = await platform.delete('/api/v1/tenants/full');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'confirmation_required', details: { groups: 1 } });
    expect((await platform.delete('/api/v1/tenants/full?confirm=true')).status).toBe(204);
    expect(await countRows(ctx, 'groups', 'tenant_id = ?', [seeded.tenant.id])).toBe(0);
    expect(await countRows(ctx, 'api_tokens', 'tenant_id = ?', [seeded.tenant.id])).toBe(0);
  });

  it('lets an owner set the default profile only to a profile of the same tenant', async () => {
    const one = await seedTenant(ctx, 'prof-one');
    const two = await seedTenant(ctx, 'prof-two');
    const em = ctx.deps.orm.em.fork();
    const own = em.create(Profile, { tenant: em.getReference(Tenant, one.tenant.id), name: 'Own' });
    const foreign = em.create(Profile, { tenant: em.getReference(Tenant, two.tenant.id), name: 'Foreign' });
    await em.flush();
    const cross = await one.owner.patch('/api/v1/tenants/prof-one', { defaultProfileId: foreign.id });
    expect(cross.status).toBe(400);
    expect(cross.body.code).toBe('unknown_reference');
    const ok = await one.owner.patch('/api/v1/tenants/prof-one', { defaultProfileId: own.id });
    expect(ok.body.defaultProfileId).toBe(own.id);
  });
});

describe('tenant phone allow-list', () => {
  it('stores canonical networks, clears with null or [], and is an owner setting', async () => {
    const seeded = await seedTenant(ctx, 'allow-list');
    const owner = apiClient(ctx, seeded.tokens.owner);
    const set = await owner.patch('/api/v1/tenants/allow-list', {
      phoneAllowCidrs: ['10.20.0.0/16', '192.0.2.7', '2001:DB8::/32', '10.20.0.0/16', '::ffff:198.51.100.0/120'],
    });
    expect(set.status).toBe(200);
    expect(set.body.phoneAllowCidrs).toEqual(['10.20.0.0/16', '192.0.2.7/32', '2001:db8::/32', '198.51.100.0/24']);
    const { rows } = await ctx.deps.orm.em
      .getKnex()
      .raw(`select phone_allow_cidrs from tenants where slug = 'allow-list'`);
    expect(rows[0].phone_allow_cidrs).toEqual(['10.20.0.0/16', '192.0.2.7/32', '2001:db8::/32', '198.51.100.0/24']);

    const admin = apiClient(ctx, seeded.tokens.admin);
    const forbidden = await admin.patch('/api/v1/tenants/allow-list', { phoneAllowCidrs: null });
    expect(forbidden.status).toBe(403);

    expect((await owner.patch('/api/v1/tenants/allow-list', { phoneAllowCidrs: [] })).body.phoneAllowCidrs).toBeNull();
    expect((await owner.get('/api/v1/tenants/allow-list')).body.phoneAllowCidrs).toBeNull();
  });

  it('refuses a malformed entry with its index, changing nothing', async () => {
    const seeded = await seedTenant(ctx, 'allow-bad');
    const owner = apiClient(ctx, seeded.tokens.owner);
    await owner.patch('/api/v1/tenants/allow-bad', { phoneAllowCidrs: ['10.0.0.0/8'] });
    for (const entry of ['10.0.0.0/33', 'not-a-net', '10.0.0.1:5060', '[2001:db8::1]', '2001:db8::/129']) {
      const refused = await owner.patch('/api/v1/tenants/allow-bad', {
        name: 'Renamed',
        phoneAllowCidrs: ['192.0.2.0/24', entry],
      });
      expect(refused.status, entry).toBe(400);
      expect(refused.body.code, entry).toBe('invalid_cidr');
      expect(refused.body.details, entry).toMatchObject({ field: 'phoneAllowCidrs/1' });
    }
    const tooMany = await owner.patch('/api/v1/tenants/allow-bad', {
      phoneAllowCidrs: Array.from({ length: 101 }, (_, i) => `10.0.${i}.0/24`),
    });
    expect(tooMany.status).toBe(400);
    const after = (await owner.get('/api/v1/tenants/allow-bad')).body;
    expect(after).toMatchObject({ name: 'Tenant allow-bad', phoneAllowCidrs: ['10.0.0.0/8'] });
  });
});

describe('a new tenant', () => {
  it('gets a default profile, and readiness names the required settings it lacks until they are set', async () => {
    const created = (await platform.post('/api/v1/tenants', { slug: 'ready', name: 'Ready' })).body;
    const profiles = (await platform.get('/api/v1/tenants/ready/profiles')).body.items;
    expect(profiles).toMatchObject([{ id: created.defaultProfileId, name: 'Default', isDefault: true }]);
    expect((await platform.get('/api/v1/tenants/ready/readiness')).body).toEqual({
      ready: false,
      defaultProfileId: created.defaultProfileId,
      missing: ['sipServer'],
    });
    expect(
      (
        await platform.patch(`/api/v1/tenants/ready/profiles/${created.defaultProfileId}`, {
          settings: { sipServer: 'pbx.example.com' },
        })
      ).status,
    ).toBe(200);
    expect((await platform.get('/api/v1/tenants/ready/readiness')).body).toEqual({
      ready: true,
      defaultProfileId: created.defaultProfileId,
      missing: [],
    });
    expect((await platform.patch('/api/v1/tenants/ready', { defaultProfileId: null })).status).toBe(200);
    expect((await platform.get('/api/v1/tenants/ready/readiness')).body).toEqual({
      ready: false,
      defaultProfileId: null,
      missing: ['defaultProfile'],
    });
    expect((await platform.delete('/api/v1/tenants/ready')).status).toBe(204);
  });

  it('starts with the default "All Company Contacts" phonebook, which a new contact joins', async () => {
    expect(
      (await platform.post('/api/v1/tenants', { slug: 'fresh', name: 'Fresh', defaultCountry: 'DE' })).status,
    ).toBe(201);
    const owner = apiClient(
      ctx,
      (await platform.post('/api/v1/tenants/fresh/api-tokens', { name: 'owner', role: 'owner' })).body.token,
    );
    const books = (await owner.get('/api/v1/tenants/fresh/phonebooks')).body.items;
    expect(books).toMatchObject([{ name: 'All Company Contacts', isDefault: true, visibility: 'all' }]);
    const contact = await owner.post('/api/v1/tenants/fresh/contacts', {
      firstName: 'Ada',
      numbers: [{ type: 'work', number: '+4930123456' }],
    });
    expect(contact.status).toBe(201);
    expect(contact.body.phonebookIds).toEqual([books[0].id]);
    expect((await platform.delete('/api/v1/tenants/fresh')).status).toBe(204);
  });
});
