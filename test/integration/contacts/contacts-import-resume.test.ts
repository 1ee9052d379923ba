import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '#src/modules/contacts/import/import-runner.js';
import { countRows, seedTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

/** Rows of about 60 bytes; every 37th has a bad number (a row error, read while a batch is written). */
function file(rows: number): Buffer {
  const lines = ['first_name,last_name,work'];
  for (let i = 0; i < rows; i++)
    lines.push(`Resume${i},Pipelined${i},${i % 37 === 36 ? 'bad-number' : `+4930${String(4000000 + i)}`}`);
  return Buffer.from(lines.join('\r\n') + '\r\n');
}

/** The file in small chunks; with `dieAfter`, the stream fails there, as a killed worker's would stop. */
async function* chunks(bytes: Buffer, dieAfter = Infinity): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += 4096) {
    if (offset >= dieAfter) throw new Error('worker killed');
    yield bytes.subarray(offset, offset + 4096);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('import resume with batches written while the next is read', () => {
  it('commits a checkpoint that never passes an unwritten row, so a resumed run imports every row exactly once', async () => {
    const s = await seedTenant(ctx, 'pipelined', { defaultCountry: 'DE' });
    const knex = ctx.deps.orm.em.getKnex();
    const rows = 3000;
    const bytes = file(rows);
    const bad = Math.floor(rows / 37);
    const [{ id }] = (
      await knex.raw(
        `insert into contact_imports (id, tenant_id, status, format, dry_run, duplicates) values (gen_random_uuid(), ?, 'running', 'csv', false, 'report') returning id`,
        [s.tenant.id],
      )
    ).rows as { id: string }[];
    const options = {
      tenantId: s.tenant.id,
      format: 'csv' as const,
      dryRun: false,
      duplicates: 'report' as const,
      phonebookId: null,
      defaultCountry: 'DE',
      importId: id,
      batchSize: 100,
    };

    await expect(runImport(knex, chunks(bytes, bytes.length / 2), options)).rejects.toThrow('worker killed');
    const [first] = (
      await knex.raw(
        `select checkpoint_line, rows_read, created, failed, error_count from contact_imports where id = ?`,
        [id],
      )
    ).rows;
    expect(first.checkpoint_line).toBeGreaterThan(1);
    // Everything up to the checkpoint is stored and counted; nothing after it.
    const upTo = first.checkpoint_line - 1;
    const badUpTo = Math.floor(upTo / 37);
    expect(await countRows(ctx, 'contacts', 'tenant_id = ?', [s.tenant.id])).toBe(upTo - badUpTo);
    expect(first).toMatchObject({ rows_read: upTo, created: upTo - badUpTo, failed: badUpTo, error_count: badUpTo });

    const rest = await runImport(knex, chunks(bytes), { ...options, resumeAfterLine: first.checkpoint_line });
    expect(rest.duplicatesFound).toBe(0);
    const [done] = (
      await knex.raw(
        `select checkpoint_line, rows_read, created, failed, error_count, errors from contact_imports where id = ?`,
        [id],
      )
    ).rows;
    expect(done).toMatchObject({
      checkpoint_line: rows + 1,
      rows_read: rows,
      created: rows - bad,
      failed: bad,
      error_count: bad,
    });
    expect(done.errors.map((e: { line: number }) => e.line)).toEqual(
      Array.from({ length: bad }, (_, k) => 37 * (k + 1) + 1),
    );
    expect(await countRows(ctx, 'contacts', 'tenant_id = ?', [s.tenant.id])).toBe(rows - bad);
  });

  it('resumes after the last row committed when a worker dies while a refused batch is retried row by row', async () => {
    const s = await seedTenant(ctx, 'row-retry', { defaultCountry: 'DE' });
    const knex = ctx.deps.orm.em.getKnex();
    const rows = 300;
    const lines = ['first_name,last_name,work'];
    for (let i = 0; i < rows; i++) {
      const name = i === 48 ? 'Refuse' : i === 78 ? 'Crash' : `Retry${i}`;
      lines.push(i === 60 ? 'no-number,row,' : `${name},Row${i},+4930${String(5000000 + i)}`);
    }
    const bytes = Buffer.from(lines.join('\n') + '\n');
    // Line 50 is refused by the database (a data error: only that row fails); line 80 stops the run
    // with a non-data error while `crash_once` holds a row, as a killed worker or lost connection would.
    await knex.raw(`create table crash_once (x int)`);
    await knex.raw(`insert into crash_once values (1)`);
    await knex.raw(`create function refuse_or_crash() returns trigger language plpgsql as $$
      begin
        if new.first_name = 'Refuse' then raise exception 'refused' using errcode = '23514'; end if;
        if new.first_name = 'Crash' and exists (select 1 from crash_once) then raise exception 'worker gone' using errcode = 'XX000'; end if;
        return new;
      end $$`);
    await knex.raw(
      `create trigger refuse_or_crash before insert on contacts for each row execute function refuse_or_crash()`,
    );
    try {
      const [{ id }] = (
        await knex.raw(
          `insert into contact_imports (id, tenant_id, status, format, dry_run, duplicates) values (gen_random_uuid(), ?, 'running', 'csv', false, 'report') returning id`,
          [s.tenant.id],
        )
      ).rows as { id: string }[];
      const options = {
        tenantId: s.tenant.id,
        format: 'csv' as const,
        dryRun: false,
        duplicates: 'report' as const,
        phonebookId: null,
        defaultCountry: 'DE',
        importId: id,
        batchSize: 100,
      };

      await expect(runImport(knex, chunks(bytes), options)).rejects.toThrow('worker gone');
      const [first] = (
        await knex.raw(
          `select checkpoint_line, rows_read, created, failed, error_count from contact_imports where id = ?`,
          [id],
        )
      ).rows;
      // Rows on lines 2–79 are done (line 50 refused, line 62 invalid); the crashed row (80) and the rest of its batch are not.
      expect(first).toMatchObject({ checkpoint_line: 79, rows_read: 78, created: 76, failed: 2, error_count: 2 });
      expect(await countRows(ctx, 'contacts', 'tenant_id = ?', [s.tenant.id])).toBe(76);

      await knex.raw(`delete from crash_once`);
      await runImport(knex, chunks(bytes), { ...options, resumeAfterLine: first.checkpoint_line });
      const [done] = (
        await knex.raw(
          `select checkpoint_line, rows_read, created, failed, error_count, errors from contact_imports where id = ?`,
          [id],
        )
      ).rows;
      expect(done).toMatchObject({
        checkpoint_line: rows + 1,
        rows_read: rows,
        created: rows - 2,
        failed: 2,
        error_count: 2,
      });
      expect(done.errors.map((e: { line: number; code: string }) => `${e.line}:${e.code}`)).toEqual([
        '50:write_failed',
        expect.stringMatching(/^62:/),
      ]);
      const { rows: names } = await knex.raw(
        `select first_name, count(*)::int as n from contacts where tenant_id = ? group by 1 having count(*) > 1`,
        [s.tenant.id],
      );
      expect(names).toEqual([]);
      expect(await countRows(ctx, 'contacts', 'tenant_id = ?', [s.tenant.id])).toBe(rows - 2);
    } finally {
      await knex.raw(`drop trigger refuse_or_crash on contacts`);
      await knex.raw(`drop function refuse_or_crash()`);
      await knex.raw(`drop table crash_once`);
    }
  });
});
