import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, withoutStatement } from '#src/logger/logger.js';

/*
 * Found by the battery (Postgres restarts): a failed MikroORM batch insert is logged with its
 * statement, values inlined — `insert into "contacts" (…) values ('…', 'Pprobe25', …) - Client
 * has encountered a connection error…`. For an account that would be its SIP password. The
 * logger now keeps only the reason.
 */
const SECRET = 'CnrySip0123456789abcdef';
const STATEMENT = `insert into "accounts" ("id", "extension", "sip_password") values ('7edb79e6', '200001', '${SECRET}') - Client has encountered a connection error and is not queryable`;

function captured(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  return {
    lines,
    stream: new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  };
}

describe('failed statements in logs', () => {
  it('keep the reason and drop the statement with its values', () => {
    expect(withoutStatement(STATEMENT)).toBe(
      '[statement omitted] - Client has encountered a connection error and is not queryable',
    );
    expect(withoutStatement("update accounts set x = 'a - b' where id = 1 - Connection terminated")).toBe(
      '[statement omitted] - Connection terminated',
    );
    expect(withoutStatement('connect ECONNREFUSED 127.0.0.1:5432')).toBe('connect ECONNREFUSED 127.0.0.1:5432');
  });

  it('never reach a log line, neither in the message nor in the stack nor in a cause', () => {
    const { lines, stream } = captured();
    const logger = createLogger('info', 'test', stream);
    const error = Object.assign(new Error(STATEMENT), { name: 'DriverException', code: 'ECONNRESET' });
    logger.error({ err: error }, 'request failed');
    logger.warn({ err: { message: STATEMENT } }, 'plain object');
    logger.error({ err: new Error('outer', { cause: new Error(STATEMENT) }) }, 'wrapped');
    const text = lines.join('');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('insert into');
    expect(text.match(/is not queryable/g)?.length).toBeGreaterThanOrEqual(3);
    expect(JSON.parse(lines[0]!).err).toMatchObject({ name: 'DriverException', code: 'ECONNRESET' });
  });
});
