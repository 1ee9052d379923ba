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
