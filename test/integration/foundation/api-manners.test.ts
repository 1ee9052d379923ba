import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { forgetTokens } from '#src/modules/auth/token-cache.js';

/** HTTP manners of the admin API: 415 and 405 with the API's error shape, the queue board's errors, token expiry and last use. */
let ctx: TestContext;
let tenant: SeededTenant;
let platform: string;

beforeAll(async () => {
  ctx = await createTestContext();
  tenant = await seedTenant(ctx, 'manners');
  platform = await createToken(ctx, 'platform', null);
});
afterAll(async () => {
  await ctx?.close();
});

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe('content type and method', () => {
  it('answers 415 unsupported_media_type to a JSON route sent another content type, writing nothing', async () => {
    const response = await ctx.admin.inject({
      method: 'POST',
      url: '/api/v1/tenants/manners/groups',
      headers: { ...auth(tenant.tokens.admin), 'content-type': 'text/plain' },
      payload: 'name=Sales',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toEqual({
      code: 'unsupported_media_type',
      message: expect.stringMatching(/application\/json/),
    });
    const groups = await ctx.admin.inject({
      method: 'GET',
      url: '/api/v1/tenants/manners/groups',
      headers: auth(tenant.tokens.admin),
    });
    expect(groups.json().total).toBe(0);
  });

  it('answers 405 method_not_allowed with Allow on an existing path', async () => {
    const response = await ctx.admin.inject({
      method: 'DELETE',
      url: '/api/v1/tenants/manners/devices',
      headers: auth(tenant.tokens.admin),
    });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD, POST');
    expect(response.json()).toEqual({
      code: 'method_not_allowed',
      message: 'DELETE is not allowed on this path; allowed: GET, HEAD, POST',
    });
    const withId = await ctx.admin.inject({
      method: 'PUT',
      url: `/api/v1/tenants/manners/devices/${crypto.randomUUID()}`,
      headers: auth(tenant.tokens.admin),
    });
    expect(withId.statusCode).toBe(405);
    expect(withId.headers.allow).toBe('DELETE, GET, HEAD, PATCH');
  });

  it('still answers 404 not_found for a path no method serves', async () => {
    const response = await ctx.admin.inject({
      method: 'DELETE',
      url: '/api/v1/nothing-here',
      headers: auth(tenant.tokens.admin),
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('not_found');
  });
});

describe('queue dashboard errors', () => {
  it('answers a missing token, a tenant token and an unknown board path with the API error shape', async () => {
    const missing = await ctx.admin.inject({ method: 'GET', url: '/admin/queues' });
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toEqual({ code: 'unauthorized', message: expect.any(String) });
    const tenantToken = await ctx.admin.inject({
      method: 'GET',
      url: '/admin/queues',
      headers: auth(tenant.tokens.owner),
    });
    expect(tenantToken.statusCode).toBe(403);
    expect(tenantToken.json()).toEqual({ code: 'platform_only', message: expect.any(String) });
    const unknownQueue = await ctx.admin.inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/no-such-queue/retry/failed',
      headers: auth(platform),
    });
    expect(unknownQueue.statusCode).toBeGreaterThanOrEqual(400);
    expect(unknownQueue.statusCode).toBeLessThan(500);
    expect(Object.keys(unknownQueue.json()).sort()).toEqual(['code', 'message']);
  });
});

describe('token expiry and last use', () => {
  const sql = <T>(query: string, params: unknown[] = []) => ctx.deps.orm.em.getConnection().execute<T[]>(query, params);

  it('creates a token with an expiry, refuses an expiry in the past, and answers 401 token_expired once it passed', async () => {
    const past = await tenant.owner.post('/api/v1/tenants/manners/api-tokens', {
      name: 'old',
      role: 'viewer',
      expiresAt: '2020-01-01T00:00:00Z',
    });
    expect(past.status).toBe(400);
    expect(past.body).toMatchObject({ code: 'expiry_not_in_future', details: { field: 'expiresAt' } });

    const created = await tenant.owner.post('/api/v1/tenants/manners/api-tokens', {
      name: 'script',
      role: 'viewer',
      expiresAt: '2099-01-01T00:00:00Z',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ expiresAt: '2099-01-01T00:00:00.000Z', lastUsedAt: null });
    const ok = await ctx.admin.inject({ method: 'GET', url: '/api/v1/whoami', headers: auth(created.body.token) });
    expect(ok.statusCode).toBe(200);

    await sql(`update api_tokens set expires_at = now() - interval '1 second' where id = ?`, [created.body.id]);
    // A change behind the service's back (not through its revoke) reaches a process once its
    // cached copy is older than TOKEN_CACHE_TTL_MS; forgetting it here stands for that wait.
    forgetTokens({ tokenId: created.body.id });
    const expired = await ctx.admin.inject({ method: 'GET', url: '/api/v1/whoami', headers: auth(created.body.token) });
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toEqual({ code: 'token_expired', message: 'this token has expired' });
    const board = await ctx.admin.inject({ method: 'GET', url: '/admin/queues', headers: auth(created.body.token) });
    expect(board.json().code).toBe('token_expired');
  });

  it('records the last use of a token, and does not write it again on every request', async () => {
    const created = await tenant.owner.post('/api/v1/tenants/manners/api-tokens', { name: 'busy', role: 'viewer' });
    expect(created.body.lastUsedAt).toBeNull();
    await ctx.admin.inject({ method: 'GET', url: '/api/v1/whoami', headers: auth(created.body.token) });
    const lastUsed = async () =>
      (
        await sql<{ at: string | null }>(`select last_used_at::text as at from api_tokens where id = ?`, [
          created.body.id,
        ])
      )[0]!.at;
    // The write does not hold up the request: wait until it is there.
    let first: string | null = null;
    for (let i = 0; i < 100 && first === null; i++) {
      first = await lastUsed();
      if (first === null) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(first).not.toBeNull();
    for (let i = 0; i < 5; i++)
      await ctx.admin.inject({ method: 'GET', url: '/api/v1/whoami', headers: auth(created.body.token) });
    expect(await lastUsed()).toBe(first);
    const listed = await tenant.owner.get('/api/v1/tenants/manners/api-tokens');
    expect(listed.body.items.find((item: { id: string }) => item.id === created.body.id).lastUsedAt).toBe(
      new Date(first!).toISOString(),
    );
  });
});
