import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../helpers/context.js';

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
    .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })));

describe('OpenAPI at /docs', () => {
  it('documents the directory resources under the agreed names', () => {
    const paths = Object.keys(spec.paths);
    for (const resource of ['tenants', 'groups', 'accounts', 'numbers', 'hunt-groups', 'auto-attendants', 'api-tokens', 'audit']) {
      expect(paths.some((path) => path.split('/').includes(resource)), resource).toBe(true);
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
    for (const feature of ['devices', 'groups', 'accounts', 'numbers', 'contacts', 'sync', 'resync', 'api-tokens', 'tenants', 'profiles']) expect(tags, feature).toContain(feature);
    const summaries = Object.fromEntries(all.map(({ name, operation }) => [name, operation.summary]));
    expect(summaries['get /api/v1/tenants/{tenant}/devices'.replace(/^get/, 'GET')]).toBe('List devices');
    expect(summaries['GET /api/v1/tenants/{tenant}/devices/{id}']).toBe('Get a device');
    expect(all.find(({ name }) => name === 'GET /api/v1/tenants/{tenant}/devices')!.operation.description).toMatch(/viewer role or higher/);
  });

  it('shows examples on the main create bodies', () => {
    const all = operations();
    for (const path of ['/api/v1/tenants', '/api/v1/tenants/{tenant}/groups', '/api/v1/tenants/{tenant}/accounts', '/api/v1/tenants/{tenant}/devices', '/api/v1/tenants/{tenant}/contacts', '/api/v1/tenants/{tenant}/profiles', '/api/v1/tenants/{tenant}/api-tokens']) {
      const operation = all.find(({ name }) => name === `POST ${path}`)?.operation;
      const content = operation?.requestBody?.content?.['application/json'];
      const examples = content?.examples ?? content?.schema?.examples ?? (content?.example ? [content.example] : undefined);
      expect(examples, `POST ${path} has no example`).toBeDefined();
    }
  });
});
