import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { createTestContext, type TestContext } from '../../helpers/context.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

let ctx: TestContext;
let spec: { paths: Record<string, Record<string, any>> };

beforeAll(async () => {
  ctx = await createTestContext();
  const response = await ctx.admin.inject({ method: 'GET', url: '/docs/json' });
  expect(response.statusCode).toBe(200);
  spec = response.json();
});
afterAll(async () => ctx?.close());

const operations = () =>
  Object.entries(spec.paths)
    .filter(([path]) => path.startsWith('/api/v1/'))
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })),
    );

describe('OpenAPI at /docs', () => {
  it('documents the directory resources under the agreed names', () => {
    const paths = Object.keys(spec.paths);
    for (const resource of [
      'tenants',
      'groups',
      'accounts',
      'numbers',
      'hunt-groups',
      'auto-attendants',
      'api-tokens',
      'audit',
    ]) {
      expect(
        paths.some((path) => path.split('/').includes(resource)),
        resource,
      ).toBe(true);
    }
  });

  it('gives every admin route a success response schema and a closed request body', () => {
    expect(operations().length).toBeGreaterThan(30);
    for (const { name, operation } of operations()) {
      const success = Object.entries(operation.responses ?? {}).find(([status]) => /^2/.test(status));
      expect(success, `${name} has no 2xx response schema`).toBeDefined();
      const body = operation.requestBody?.content?.['application/json']?.schema;
      if (body) expect(body.additionalProperties, `${name} accepts unknown body fields`).toBe(false);
    }
  });
});

describe('OpenAPI reads as a manual', () => {
  it('gives every operation a summary, a description and a feature tag', () => {
    const all = operations();
    expect(all.filter(({ operation }) => !operation.summary).map(({ name }) => name)).toEqual([]);
    expect(all.filter(({ operation }) => !operation.description).map(({ name }) => name)).toEqual([]);
    expect(all.filter(({ operation }) => !(operation.tags?.length > 0)).map(({ name }) => name)).toEqual([]);
    const tags = new Set(all.flatMap(({ operation }) => operation.tags as string[]));
    for (const feature of [
      'devices',
      'groups',
      'accounts',
      'numbers',
      'contacts',
      'sync',
      'resync',
      'api-tokens',
      'tenants',
      'profiles',
    ])
      expect(tags, feature).toContain(feature);
    const summaries = Object.fromEntries(all.map(({ name, operation }) => [name, operation.summary]));
    expect(summaries['get /api/v1/tenants/{tenant}/devices'.replace(/^get/, 'GET')]).toBe('List devices');
    expect(summaries['GET /api/v1/tenants/{tenant}/devices/{id}']).toBe('Get a device');
    expect(all.find(({ name }) => name === 'GET /api/v1/tenants/{tenant}/devices')!.operation.description).toMatch(
      /viewer role or higher/,
    );
  });

  it('shows an example, valid against its own schema, on every request body and every 2xx JSON response', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addKeyword('example');
    const missing: string[] = [];
    const invalid: string[] = [];
    const check = (name: string, media: any) => {
      if (!media?.schema) return;
      const examples =
        media.example !== undefined
          ? [media.example]
          : Object.values(media.examples ?? {}).map((entry: any) => entry.value);
      if (examples.length === 0) return missing.push(name);
      const validate = ajv.compile(media.schema);
      for (const example of examples)
        if (!validate(example)) invalid.push(`${name}: ${ajv.errorsText(validate.errors)}`);
    };
    for (const { name, operation } of operations()) {
      check(`${name} body`, operation.requestBody?.content?.['application/json']);
      for (const [status, response] of Object.entries<any>(operation.responses ?? {})) {
        if (/^2/.test(status)) check(`${name} ${status}`, response.content?.['application/json']);
      }
    }
    expect(missing).toEqual([]);
    expect(invalid).toEqual([]);
  });

  it('writes realistic examples by hand on the main create bodies', () => {
    const all = operations();
    const expected: Record<string, Record<string, unknown>> = {
      '/api/v1/tenants': { slug: 'acme' },
      '/api/v1/tenants/{tenant}/groups': { name: 'Sales' },
      '/api/v1/tenants/{tenant}/accounts': { extension: '1001' },
      '/api/v1/tenants/{tenant}/devices': { vendor: 'yealink' },
      '/api/v1/tenants/{tenant}/contacts': {},
      '/api/v1/tenants/{tenant}/profiles': {},
      '/api/v1/tenants/{tenant}/api-tokens': { role: 'admin' },
    };
    for (const [path, fields] of Object.entries(expected)) {
      const content = all.find(({ name }) => name === `POST ${path}`)?.operation?.requestBody?.content?.[
        'application/json'
      ];
      const example = content?.example ?? (Object.values(content?.examples ?? {})[0] as any)?.value;
      expect(example, `POST ${path} has no example`).toBeDefined();
      expect(example, `POST ${path}`).toMatchObject(fields);
    }
  });
});
