import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../../src/modules/contacts/import/import-runner.js';
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
  for (let i = 0; i < rows; i++) lines.push(`Resume${i},Pipelined${i},${i % 37 === 36 ? 'bad-number' : `+4930${String(4000000 + i)}`}`);
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
    const [{ id }] = (await knex.raw(
      `insert into contact_imports (id, tenant_id, status, format, dry_run, duplicates) values (gen_random_uuid(), ?, 'running', 'csv', false, 'report') returning id`,
      [s.tenant.id],
    )).rows as { id: string }[];
    const options = { tenantId: s.tenant.id, format: 'csv' as const, dryRun: false, duplicates: 'report' as const, phonebookId: null, defaultCountry: 'DE', importId: id, batchSize: 100 };

    await expect(runImport(knex, chunks(bytes, bytes.length / 2), options)).rejects.toThrow('worker killed');
    const [first] = (await knex.raw(`select checkpoint_line, rows_read, created, failed, error_count from contact_imports where id = ?`, [id])).rows;
    expect(first.checkpoint_line).toBeGreaterThan(1);
    // Everything up to the checkpoint is stored and counted; nothing after it.
    const upTo = first.checkpoint_line - 1;
    const badUpTo = Math.floor(upTo / 37);
    expect(await countRows(ctx, 'contacts', 'tenant_id = ?', [s.tenant.id])).toBe(upTo - badUpTo);
    expect(first).toMatchObject({ rows_read: upTo, created: upTo - badUpTo, failed: badUpTo, error_count: badUpTo });

    const rest = await runImport(knex, chunks(bytes), { ...options, resumeAfterLine: first.checkpoint_line });
    expect(rest.duplicatesFound).toBe(0);
    const [done] = (await knex.raw(`select checkpoint_line, rows_read, created, failed, error_count, errors from contact_imports where id = ?`, [id])).rows;
    expect(done).toMatchObject({ checkpoint_line: rows + 1, rows_read: rows, created: rows - bad, failed: bad, error_count: bad });
    expect(done.errors.map((e: { line: number }) => e.line)).toEqual(Array.from({ length: bad }, (_, k) => 37 * (k + 1) + 1));
    expect(await countRows(ctx, 'contacts', 'tenant_id = ?', [s.tenant.id])).toBe(rows - bad);
  });
});
