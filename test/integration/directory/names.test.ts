import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, countRows, createToken, seedTenant, type ApiClient, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { NAME_PATTERN } from '#src/http/names.rule.js';

let ctx: TestContext;
let platform: ApiClient;
let seeded: SeededTenant;

beforeAll(async () => {
  ctx = await createTestContext();
  platform = apiClient(ctx, await createToken(ctx, 'platform', null));
  seeded = await seedTenant(ctx, 'names');
});
afterAll(async () => ctx?.close());

const BAD_NAMES = ['   ', '\t', ' \t ', 'HQ Building ', ' HQ Building', 'HQ\nBuilding', 'HQ\u0000'];
const NAME_FIELDS = new Set(['name', 'displayName', 'label']);

/** Every property named like a name in a request body schema, with its path. */
function nameFields(schema: any, path: string, out: { path: string; schema: any }[]): void {
  if (!schema || typeof schema !== 'object') return;
  for (const [key, value] of Object.entries<any>(schema.properties ?? {})) {
    if (NAME_FIELDS.has(key)) out.push({ path: `${path}.${key}`, schema: value });
    nameFields(value, `${path}.${key}`, out);
  }
  for (const part of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])])
    nameFields(part, path, out);
  if (schema.items) nameFields(schema.items, `${path}[]`, out);
}

describe('one rule for names', () => {
  it('every name field of every request body carries the shared name rule', async () => {
    const spec = (await ctx.admin.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, any>>;
    };
    const fields: { path: string; schema: any }[] = [];
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        nameFields(
          operation.requestBody?.content?.['application/json']?.schema,
          `${method.toUpperCase()} ${path}`,
          fields,
        );
      }
    }
    expect(fields.length).toBeGreaterThan(15);
    for (const field of fields) {
      const strings = field.schema.anyOf
        ? field.schema.anyOf.filter((part: any) => part.type === 'string')
        : [field.schema];
      for (const schema of strings) expect(schema.pattern, field.path).toBe(NAME_PATTERN);
    }
  });

  it('refuses blank, padded and control-character names with 400 validation_failed, writing nothing', async () => {
    const cos = await seeded.owner.post('/api/v1/tenants/names/classes-of-service', {
      name: 'Standard',
      level: 'national',
    });
    expect(cos.status).toBe(201);
    const creates: [ApiClient, string, (name: string) => object, string][] = [
      [platform, '/api/v1/tenants', (name) => ({ slug: 'blank-tenant', name }), 'tenants'],
      [seeded.owner, '/api/v1/tenants/names/groups', (name) => ({ name }), 'groups'],
      [seeded.owner, '/api/v1/tenants/names/phonebooks', (name) => ({ name }), 'phonebooks'],
      [
        seeded.owner,
        '/api/v1/tenants/names/phonemap-groups',
        (name) => ({ id: 'pm-blank', name, classOfServiceId: cos.body.id }),
        'phonemap_groups',
      ],
      [
        seeded.owner,
        '/api/v1/tenants/names/classes-of-service',
        (name) => ({ name, level: 'national' }),
        'classes_of_service',
      ],
      [seeded.owner, '/api/v1/tenants/names/hunt-groups', (name) => ({ name }), 'hunt_groups'],
      [seeded.owner, '/api/v1/tenants/names/auto-attendants', (name) => ({ name }), 'auto_attendants'],
      [seeded.owner, '/api/v1/tenants/names/profiles', (name) => ({ name }), 'profiles'],
    ];
    for (const [client, url, body, table] of creates) {
      const before = await countRows(ctx, table);
      for (const name of BAD_NAMES) {
        const response = await client.post(url, body(name));
        expect(response.status, `${url} ${JSON.stringify(name)}`).toBe(400);
        expect(response.body.code).toBe('validation_failed');
      }
      expect(await countRows(ctx, table), table).toBe(before);
    }
    const group = await seeded.owner.post('/api/v1/tenants/names/groups', { name: 'HQ Building' });
    expect(group.status).toBe(201);
    const padded = await seeded.owner.patch(`/api/v1/tenants/names/groups/${group.body.id}`, { name: 'HQ Building ' });
    expect(padded.status).toBe(400);
    expect((await seeded.owner.get(`/api/v1/tenants/names/groups/${group.body.id}`)).body.name).toBe('HQ Building');
  });
});
