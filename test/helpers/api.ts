import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiToken, type TokenRole } from '#src/model/auth/api-token.entity.js';
import { generateToken, hashToken, tokenDisplayPrefix } from '#src/modules/auth/token.js';
import { Tenant } from '#src/model/directory/tenant.entity.js';
import type { TestContext } from './context.js';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  raw: string;
}

/** A client for the admin API, bound to one bearer token (or none). */
export interface ApiClient {
  get<T = any>(url: string): Promise<ApiResponse<T>>;
  post<T = any>(url: string, body?: unknown): Promise<ApiResponse<T>>;
  patch<T = any>(url: string, body?: unknown): Promise<ApiResponse<T>>;
  put<T = any>(url: string, body?: unknown): Promise<ApiResponse<T>>;
  delete<T = any>(url: string, body?: unknown): Promise<ApiResponse<T>>;
}

export function apiClient(ctx: TestContext, token?: string): ApiClient {
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown) => {
    const response = await ctx.admin.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(body === undefined ? {} : { payload: body as object }),
    });
    const raw = response.body;
    let parsed: unknown = undefined;
    if (raw.length) {
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = raw;
      }
    }
    return { status: response.statusCode, body: parsed as any, raw };
  };
  return {
    get: (url) => call('GET', url),
    post: (url, body) => call('POST', url, body ?? {}),
    patch: (url, body) => call('PATCH', url, body ?? {}),
    put: (url, body) => call('PUT', url, body ?? {}),
    delete: (url, body) => call('DELETE', url, body),
  };
}

/** Stores a token directly (as the migrate seed does) and returns its plaintext. */
export async function createToken(
  ctx: TestContext,
  role: TokenRole,
  tenant: Tenant | null,
  name = `${role} test`,
): Promise<string> {
  const em = ctx.deps.orm.em.fork() as EntityManager;
  const token = generateToken();
  em.create(ApiToken, {
    tenant: tenant ? em.getReference(Tenant, tenant.id) : null,
    role,
    name,
    tokenHash: hashToken(token),
    prefix: tokenDisplayPrefix(token),
  });
  await em.flush();
  return token;
}

export interface SeededTenant {
  tenant: Tenant;
  slug: string;
  owner: ApiClient;
  admin: ApiClient;
  viewer: ApiClient;
  tokens: { owner: string; admin: string; viewer: string };
}

/** A tenant with one token per role, created straight in the database. */
export async function seedTenant(
  ctx: TestContext,
  slug: string,
  fields: { maxAccounts?: number; defaultCountry?: string } = {},
): Promise<SeededTenant> {
  const em = ctx.deps.orm.em.fork() as EntityManager;
  const tenant = em.create(Tenant, {
    slug,
    name: `Tenant ${slug}`,
    maxAccounts: fields.maxAccounts ?? 2000,
    defaultCountry: fields.defaultCountry ?? 'DE',
  });
  await em.flush();
  const tokens = {
    owner: await createToken(ctx, 'owner', tenant),
    admin: await createToken(ctx, 'admin', tenant),
    viewer: await createToken(ctx, 'viewer', tenant),
  };
  return {
    tenant,
    slug,
    tokens,
    owner: apiClient(ctx, tokens.owner),
    admin: apiClient(ctx, tokens.admin),
    viewer: apiClient(ctx, tokens.viewer),
  };
}

/** Row count of a table, for "nothing was written" assertions. */
export async function countRows(
  ctx: TestContext,
  table: string,
  where = 'true',
  params: unknown[] = [],
): Promise<number> {
  const rows = await ctx.deps.orm.em
    .fork()
    .getConnection()
    .execute<{ n: string }[]>(`select count(*)::text as n from "${table}" where ${where}`, params);
  return Number(rows[0]!.n);
}
