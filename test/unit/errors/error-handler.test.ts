import Fastify from 'fastify';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandler } from '#src/errors/error-handler.js';
import { ConflictError } from '#src/errors/errors.js';
import { STRICT_AJV } from '#src/app/http-common.js';

describe('error handler over HTTP', () => {
  const app = Fastify({ logger: false, ajv: STRICT_AJV });
  beforeAll(async () => {
    registerErrorHandler(app);
    app.post(
      '/validate',
      { schema: { body: Type.Object({ n: Type.Integer() }, { additionalProperties: false }) } },
      async () => ({ ok: true }),
    );
    app.get('/crash', async () => {
      throw new Error('select * from secret_table where password = $1');
    });
    app.get('/db-down', async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    app.get('/conflict', async () => {
      throw new ConflictError('name_taken', 'a group with this name exists', { name: 'Sales' });
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it('answers schema violations with 400 validation_failed', async () => {
    const wrongType = await app.inject({ method: 'POST', url: '/validate', payload: { n: 'x' } });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json()).toMatchObject({ code: 'validation_failed' });
    const unknownField = await app.inject({ method: 'POST', url: '/validate', payload: { n: 1, extra: true } });
    expect(unknownField.statusCode).toBe(400);
  });

  it('answers malformed JSON with a 400 JSON body', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/validate',
      headers: { 'content-type': 'application/json' },
      payload: '{"n":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'bad_request' });
  });

  it('never leaks the message, stack or SQL of an unexpected error', async () => {
    const response = await app.inject({ method: 'GET', url: '/crash' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ code: 'internal_error', message: 'internal error' });
    expect(response.body).not.toContain('secret_table');
  });

  it('answers 503 when a backing service is unreachable', async () => {
    const response = await app.inject({ method: 'GET', url: '/db-down' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'service_unavailable' });
  });

  it('passes details of a domain error through', async () => {
    const response = await app.inject({ method: 'GET', url: '/conflict' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({
      code: 'name_taken',
      message: 'a group with this name exists',
      details: { name: 'Sales' },
    });
  });
});
