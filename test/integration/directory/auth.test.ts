import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createToken, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

let ctx: TestContext;
let a: SeededTenant;
let b: SeededTenant;
let platformToken: string;

beforeAll(async () => {
  ctx = await createTestContext();
  a = await seedTenant(ctx, 'auth-a');
  b = await seedTenant(ctx, 'auth-b');
  platformToken = await createToken(ctx, 'platform', null);
});
afterAll(async () => ctx?.close());

describe('bearer authentication', () => {
  it('refuses a request without a token, with a malformed header, or with an unknown token (401, JSON code)', async () => {
    for (const headers of [
      {},
      { authorization: 'Basic dXNlcjpwYXNz' },
      { authorization: 'Bearer short' },
      { authorization: 'Bearer pvd_unknownunknownunknownunknown' },
    ]) {
      const response = await ctx.admin.inject({ method: 'GET', url: `/api/v1/tenants/${a.slug}`, headers });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'unauthorized' });
    }
  });

  it('accepts a valid token and stops accepting it once revoked', async () => {
    const token = await createToken(ctx, 'viewer', a.tenant);
    const client = apiClient(ctx, token);
    expect((await client.get(`/api/v1/tenants/${a.slug}`)).status).toBe(200);
    const listed = await a.owner.get(`/api/v1/tenants/${a.slug}/api-tokens`);
    const id = listed.body.items.find(
      (item: { prefix: string }) => token.startsWith(item.prefix) && item.prefix.length > 4,
    ).id;
    expect((await a.owner.delete(`/api/v1/tenants/${a.slug}/api-tokens/${id}`)).status).toBe(200);
    expect((await client.get(`/api/v1/tenants/${a.slug}`)).status).toBe(401);
  });

  it("refuses a deleted tenant's tokens at once, though they were just used (no cached token outlives its tenant)", async () => {
    const doomed = await seedTenant(ctx, 'auth-doomed');
    expect((await doomed.viewer.get('/api/v1/whoami')).status).toBe(200);
    const platform = apiClient(ctx, platformToken);
    expect((await platform.delete(`/api/v1/tenants/${doomed.slug}?confirm=true`)).status).toBe(204);
    expect((await doomed.viewer.get('/api/v1/whoami')).status).toBe(401);
  });

  it('never logs the bearer token', async () => {
    await a.viewer.get(`/api/v1/tenants/${a.slug}`);
    expect(ctx.logs.join('\n')).not.toContain(a.tokens.viewer);
  });
});

describe('tenant isolation and roles', () => {
  it("answers 404 (not 403) for another tenant's resources, exactly as for one that does not exist", async () => {
    for (const url of [
      `/api/v1/tenants/${b.slug}`,
      `/api/v1/tenants/${b.slug}/audit`,
      `/api/v1/tenants/${b.slug}/api-tokens`,
    ]) {
      const foreign = await a.owner.get(url);
      const missing = await a.owner.get(url.replace(b.slug, 'no-such-tenant'));
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual(missing.body);
    }
    expect((await a.owner.patch(`/api/v1/tenants/${b.slug}`, { name: 'taken over' })).status).toBe(404);
    expect((await a.viewer.post(`/api/v1/tenants/${b.slug}/api-tokens`, { name: 'x', role: 'owner' })).status).toBe(
      404,
    );
  });

  it('lets viewers read but not write (403 role_insufficient)', async () => {
    expect((await a.viewer.get(`/api/v1/tenants/${a.slug}`)).status).toBe(200);
    const write = await a.viewer.patch(`/api/v1/tenants/${a.slug}`, { name: 'Renamed' });
    expect(write.status).toBe(403);
    expect(write.body.code).toBe('role_insufficient');
  });

  it('keeps token management to owners', async () => {
    expect((await a.admin.get(`/api/v1/tenants/${a.slug}/api-tokens`)).status).toBe(403);
    expect((await a.admin.post(`/api/v1/tenants/${a.slug}/api-tokens`, { name: 'x', role: 'viewer' })).status).toBe(
      403,
    );
    expect((await a.owner.get(`/api/v1/tenants/${a.slug}/api-tokens`)).status).toBe(200);
  });

  it('keeps tenant management to the platform token', async () => {
    expect((await a.owner.get('/api/v1/tenants')).status).toBe(403);
    expect((await a.owner.post('/api/v1/tenants', { slug: 'sneaky', name: 'Sneaky' })).status).toBe(403);
    expect((await a.owner.delete(`/api/v1/tenants/${a.slug}`)).status).toBe(403);
    const raise = await a.owner.patch(`/api/v1/tenants/${a.slug}`, { maxAccounts: 1_000_000 });
    expect(raise.status).toBe(403);
    expect(raise.body.code).toBe('platform_only');
    const platform = apiClient(ctx, platformToken);
    expect((await platform.get('/api/v1/tenants')).status).toBe(200);
    expect((await platform.get(`/api/v1/tenants/${b.slug}`)).status).toBe(200);
  });
});
