import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createToken, seedTenant, type ApiClient, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

/**
 * Every documented request example is accepted by the API it documents: the create (POST on a
 * collection) and update (PATCH on the object made by that create) examples at /docs are sent as
 * they are, and each must answer 2xx. Examples name ids of other objects with one placeholder uuid;
 * it is swapped for the id of the object of that kind made earlier in the same walk (groups come
 * before accounts, accounts before devices), which is what a reader of the example would do.
 */
let ctx: TestContext;
let platform: ApiClient;
let seeded: SeededTenant;
let spec: { paths: Record<string, Record<string, any>> };

beforeAll(async () => {
  ctx = await createTestContext();
  platform = apiClient(ctx, await createToken(ctx, 'platform', null));
  seeded = await seedTenant(ctx, 'examples', { defaultCountry: 'US' });
  spec = (await ctx.admin.inject({ method: 'GET', url: '/docs/json' })).json();
});
afterAll(async () => ctx?.close());

const REFERENCE_OF: Record<string, string> = {
  groups: 'groupId',
  accounts: 'accountId',
  'classes-of-service': 'classOfServiceId',
  profiles: 'profileId',
  phonebooks: 'phonebookId',
};

function exampleOf(operation: any): unknown {
  const content = operation?.requestBody?.content?.['application/json'];
  return content?.example ?? (Object.values(content?.examples ?? {})[0] as any)?.value;
}

/** The example with each `<kind>Id` placeholder replaced by a real id of that kind. */
function withIds(value: unknown, ids: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => withIds(item, ids));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      ids[key] && typeof item === 'string' ? ids[key] : withIds(item, ids),
    ]),
  );
}

describe('documented request examples', () => {
  it('every create and update example at /docs is accepted (2xx) by its route', async () => {
    const ids: Record<string, string> = {};
    const refused: string[] = [];
    let sent = 0;
    for (const [path, methods] of Object.entries(spec.paths)) {
      const collection = /^\/api\/v1\/tenants\/\{tenant\}\/([a-z-]+)$/.exec(path)?.[1];
      if (!collection || !methods.post || path.endsWith('/resync')) continue;
      const url = path.replace('{tenant}', seeded.slug);
      const created = await seeded.owner.post(url, withIds(exampleOf(methods.post), ids));
      sent++;
      if (!/^2/.test(String(created.status))) {
        refused.push(`POST ${path}: ${created.status} ${JSON.stringify(created.body)}`);
        continue;
      }
      const id = created.body.id ?? created.body.items?.[0]?.id;
      if (REFERENCE_OF[collection] && id) ids[REFERENCE_OF[collection]] = id;
      const update = spec.paths[`${path}/{id}`]?.patch;
      if (!update || !id) continue;
      const updated = await seeded.owner.patch(`${url}/${id}`, withIds(exampleOf(update), ids));
      sent++;
      if (!/^2/.test(String(updated.status)))
        refused.push(`PATCH ${path}/{id}: ${updated.status} ${JSON.stringify(updated.body)}`);
    }
    const tenant = await platform.post('/api/v1/tenants', exampleOf(spec.paths['/api/v1/tenants']!.post));
    if (tenant.status !== 201) refused.push(`POST /api/v1/tenants: ${tenant.status} ${JSON.stringify(tenant.body)}`);
    const renamed = await platform.patch(
      `/api/v1/tenants/${tenant.body.slug}`,
      exampleOf(spec.paths['/api/v1/tenants/{tenant}']!.patch),
    );
    if (renamed.status !== 200) refused.push(`PATCH /api/v1/tenants/{tenant}: ${renamed.status}`);
    expect(sent).toBeGreaterThan(20);
    expect(refused).toEqual([]);
  });
});
