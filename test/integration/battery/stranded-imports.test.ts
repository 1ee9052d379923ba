import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImportJob } from '#src/modules/contacts/import/import-job.js';
import { importJobId, MAX_IMPORT_REQUEUES, requeueStrandedImports } from '#src/modules/contacts/import/import-sweep.js';
import { queuePrefixOf } from '#src/queues/catalogue.js';
import { seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { eventually } from '../../helpers/eventually.js';

/*
 * Found by the battery: an import whose job Redis lost (FLUSHALL) or BullMQ failed without
 * running the handler (a worker killed in it more often than the stall limit allows) stayed
 * "queued"/"running" forever. The sweep now requeues such imports from what Postgres holds.
 */
let ctx: TestContext;
let t: SeededTenant;
const dataDir = mkdtempSync(join(tmpdir(), 'provd-stranded-'));

beforeAll(async () => {
  ctx = await createTestContext({ PROVD_DATA_DIR: dataDir });
  t = await seedTenant(ctx, 'stranded', { defaultCountry: 'DE' });
  mkdirSync(join(dataDir, 'imports'), { recursive: true });
});
afterAll(async () => {
  await ctx?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const sql = (query: string, params: unknown[] = []) => ctx.deps.orm.em.getConnection().execute(query, params);

/** An import row as the API leaves it, a minute old, with its spooled file, and no job. */
async function strandedImport(status: 'queued' | 'running', rows = 3): Promise<string> {
  const path = join(dataDir, 'imports', `${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(
    path,
    [
      'first_name,last_name,work',
      ...Array.from({ length: rows }, (_, i) => `Stranded${i},Row,+4930${3000000 + i}`),
    ].join('\n') + '\n',
  );
  const [row] = await sql(
    `insert into contact_imports (id, tenant_id, status, format, dry_run, duplicates, file_path, total_bytes, created_at, updated_at)
     values (gen_random_uuid(), ?, ?, 'csv', false, 'merge', ?, 100, now() - interval '1 minute', now() - interval '1 minute') returning id`,
    [t.tenant.id, status, path],
  );
  return (row as { id: string }).id;
}

describe('stranded contact imports', () => {
  it('requeues an import whose job is gone, once, and the job finishes it', async () => {
    const id = await strandedImport('running');
    expect(await requeueStrandedImports(ctx.deps)).toBe(1);
    const job = await ctx.deps.queues.get('import').getJob(importJobId(id));
    expect(await job?.getState()).toBe('waiting');
    // A live job is left alone.
    expect(await requeueStrandedImports(ctx.deps)).toBe(0);
    await runImportJob(ctx.deps, id);
    const [row] = await sql(`select status, created from contact_imports where id = ?`, [id]);
    expect(row).toMatchObject({ status: 'done', created: 3 });
    await job?.remove();
  });

  it('requeues an import whose job BullMQ failed without running the handler', async () => {
    const id = await strandedImport('queued');
    await ctx.deps.queues.add('import', 'contacts.import', { importId: id }, { jobId: importJobId(id), attempts: 1 });
    const worker = new Worker(
      'import',
      async () => {
        throw new UnrecoverableError('job stalled more than allowable limit');
      },
      { connection: ctx.deps.workerRedis.duplicate(), prefix: queuePrefixOf(ctx.config.queuePrefix, 'import') },
    );
    try {
      expect(
        await eventually(
          async () =>
            ctx.deps.queues
              .get('import')
              .getJob(importJobId(id))
              .then((job) => job?.getState()),
          (state) => state === 'failed',
        ),
      ).toBe('failed');
    } finally {
      await worker.close();
    }
    expect(await requeueStrandedImports(ctx.deps)).toBe(1);
    expect(await (await ctx.deps.queues.get('import').getJob(importJobId(id)))?.getState()).toBe('waiting');
    await (await ctx.deps.queues.get('import').getJob(importJobId(id)))?.remove();
    await sql(`update contact_imports set status = 'done' where id = ?`, [id]);
  });

  it('leaves young rows alone (the API inserts the row before it queues the job)', async () => {
    const id = await strandedImport('queued');
    await sql(`update contact_imports set updated_at = now() where id = ?`, [id]);
    expect(await requeueStrandedImports(ctx.deps)).toBe(0);
    await sql(`update contact_imports set status = 'done' where id = ?`, [id]);
  });

  it(`gives an import up after ${MAX_IMPORT_REQUEUES} requeues`, async () => {
    const id = await strandedImport('running');
    for (let round = 0; round < MAX_IMPORT_REQUEUES; round++) {
      expect(await requeueStrandedImports(ctx.deps)).toBe(1);
      await (await ctx.deps.queues.get('import').getJob(importJobId(id)))?.remove();
      await sql(`update contact_imports set updated_at = now() - interval '1 minute' where id = ?`, [id]);
    }
    expect(await requeueStrandedImports(ctx.deps)).toBe(0);
    const [row] = await sql(`select status, failure, file_path from contact_imports where id = ?`, [id]);
    expect(row).toMatchObject({ status: 'failed', file_path: null });
    expect((row as { failure: string }).failure).toMatch(/stopped its worker repeatedly/);
  });
});
