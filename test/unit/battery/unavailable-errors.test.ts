import { describe, expect, it } from 'vitest';
import { toErrorResponse } from '#src/errors/error-handler.js';

/*
 * What the API answered during the battery's Postgres restarts, as thrown by the drivers: each
 * must become the clear 503 (retry shortly), never a 500. The messages and codes are the ones
 * the battery's API logs showed (MikroORM wraps pg and knex errors in a DriverException).
 */
const SEEN_DURING_RESTARTS: { what: string; error: unknown }[] = [
  {
    what: 'admin shutdown of a pooled connection (57P01)',
    error: Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
  },
  {
    what: 'connecting while the server shuts down (57P03)',
    error: Object.assign(new Error('the database system is shutting down'), { code: '57P03' }),
  },
  {
    what: 'server gone',
    error: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
  },
  { what: 'connection dropped mid-query', error: new Error('Connection terminated unexpectedly') },
  {
    what: 'next query of a transaction whose connection died',
    error: Object.assign(new Error('Transaction query already complete, run with DEBUG=knex:tx for more info'), {
      name: 'DriverException',
    }),
  },
  { what: 'pool timeout while the server restarts', error: new Error('timeout exceeded when trying to connect') },
  {
    what: 'a pooled client whose connection broke',
    error: Object.assign(
      new Error(
        'insert into "contacts" ("id") values (\'x\') - Client has encountered a connection error and is not queryable',
      ),
      { name: 'DriverException' },
    ),
  },
];

describe('database restarts answer 503', () => {
  it.each(SEEN_DURING_RESTARTS)('$what', ({ error }) => {
    const { statusCode, body } = toErrorResponse(error);
    expect(statusCode).toBe(503);
    expect(body.code).toBe('service_unavailable');
  });

  it('other unexpected errors stay 500 (the 503 list is not a catch-all)', () => {
    expect(toErrorResponse(new Error('Cannot read properties of undefined')).statusCode).toBe(500);
  });
});
