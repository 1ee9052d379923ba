import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadRequestError, ConflictError, NotFoundError } from '#src/errors/errors.js';
import { toErrorResponse } from '#src/errors/error-handler.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

describe('error handler', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('maps the closed error classes to status and {code, message, details}', () => {
    expect(toErrorResponse(new BadRequestError('bad_thing', 'bad', { field: 'x' }))).toEqual({
      statusCode: 400,
      body: { code: 'bad_thing', message: 'bad', details: { field: 'x' } },
    });
    expect(toErrorResponse(new NotFoundError('group'))).toEqual({
      statusCode: 404,
      body: { code: 'not_found', message: 'group not found' },
    });
    expect(toErrorResponse(new ConflictError('dup', 'exists')).statusCode).toBe(409);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await ctx.admin.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'not_found' });
  });

  it('maps infrastructure failures to 503 and unknown errors to 500 without internals', () => {
    const down = toErrorResponse(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    );
    expect(down.statusCode).toBe(503);
    expect(down.body.code).toBe('service_unavailable');
    const pgDown = toErrorResponse(
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    );
    expect(pgDown.statusCode).toBe(503);
    const crash = toErrorResponse(new Error('select * from secret_table where password = $1'));
    expect(crash).toEqual({ statusCode: 500, body: { code: 'internal_error', message: 'internal error' } });
    expect(
      toErrorResponse(Object.assign(new Error('duplicate key value violates unique constraint "x"'), { code: '23505' }))
        .body,
    ).toEqual({
      code: 'conflict',
      message: 'a record with the same unique value already exists',
    });
  });
});
