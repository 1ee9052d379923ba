import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importHandlers, runImportJob } from '#src/modules/contacts/import/import-job.js';
import { IMPORT_ERROR_CAP, recordProgress, zeroCounters } from '#src/modules/contacts/import/import-progress.js';
import { startWorkers } from '#src/queues/worker-host.js';
import { countRows, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { eventually } from '../../helpers/eventually.js';
import { csv, upload } from './support.js';

const MAX_BYTES = 3_000_000;
let ctx: TestContext;
let t: SeededTenant;
let spoolDir: string;
// A data folder of this file's own, so spool files of other runs cannot mix in.
const dataDir = mkdtempSync(join(tmpdir(), 'provd-import-'));

beforeAll(async () => {
  ctx = await createTestContext({ PROVD_IMPORT_MAX_BYTES: String(MAX_BYTES), PROVD_DATA_DIR: dataDir });
  t = await seedTenant(ctx, 'job', { defaultCountry: 'DE' });
  spoolDir = resolve(ctx.config.dataDir, 'imports');
});
afterAll(async () => {
  await ctx?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function spooled(): string[] {
  return existsSync(spoolDir) ? readdirSync(spoolDir) : [];
}

/** `rows` data rows of about 80 bytes; every 1000th row has a bad number. */
function bigCsv(rows: number, prefix: string): string {
  const lines = ['first_name,last_name,company,work'];
  for (let i = 0; i < rows; i++) {
    const number = i % 1000 === 999 ? 'bad-number' : `+4930${String(2000000 + i)}`;
    lines.push(`${prefix}First${i},${prefix}Last${i},"Company number ${i % 100}, Department ${i % 7}",${number}`);
  }
  return csv(lines);
}

describe('upload size limit', () => {
  it('answers 413 from the declared Content-Length without reading the body', async () => {
    let reads = 0;
    const body = new Readable({
      read() {
        reads++;
        this.push(Buffer.alloc(65536, 0x41));
      },
    });
    const response = await upload(ctx, t.tokens.admin, t.slug, body, 'format=csv', {
      'content-length': String(MAX_BYTES + 1),
    });
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('payload_too_large');
    expect(reads).toBeLessThanOrEqual(1);
    body.destroy();
  });

  it('answers 413 for a body without Content-Length once the counted bytes pass the limit, leaving nothing behind', async () => {
    const before = spooled();
    const chunk = Buffer.from(bigCsv(2000, 'Over'));
    const chunks = Math.ceil((MAX_BYTES * 1.5) / chunk.length);
    const body = Readable.from(
      (function* () {
        for (let i = 0; i < chunks; i++) yield chunk;
      })(),
    );
    const response = await upload(ctx, t.tokens.admin, t.slug, body, 'format=csv');
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('payload_too_large');
    expect(await countRows(ctx, 'contacts', 'tenant_id = ?', [t.tenant.id])).toBe(0);
    expect(await countRows(ctx, 'contact_imports', 'tenant_id = ?', [t.tenant.id])).toBe(0);
    expect(spooled()).toEqual(before);
  });
});

describe('import as a job (> 1 MB)', () => {
  let workers: Worker[] = [];
  beforeAll(() => {
    workers = startWorkers(
      { import: importHandlers(ctx.deps) },
      { connection: ctx.deps.workerRedis, prefix: ctx.config.queuePrefix, concurrency: 1, logger: ctx.deps.logger },
    );
  });
  afterAll(async () => Promise.all(workers.map((worker) => worker.close())));

  it('spools the upload, answers 202 with the import, and shows progress and errors until done', async () => {
    const s = await seedTenant(ctx, 'job-big', { defaultCountry: 'DE' });
    const file = bigCsv(20_000, 'Job');
    expect(Buffer.byteLength(file)).toBeGreaterThan(1024 * 1024);
    const response = await upload(ctx, s.tokens.admin, s.slug, file, 'format=csv');
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ status: 'queued', totalBytes: Buffer.byteLength(file), rowsRead: 0 });
    expect(response.headers.location).toBe(`/api/v1/tenants/${s.slug}/contacts/imports/${response.body.id}`);
    const done = await eventually(
      async () => (await s.admin.get(`/api/v1/tenants/${s.slug}/contacts/imports/${response.body.id}`)).body,
      (view) => view.status === 'done' || view.status === 'failed',
      60_000,
    );
    expect(done).toMatchObject({
      status: 'done',
      rowsRead: 20_000,
      created: 19_980,
      failed: 20,
      errorCount: 20,
      bytesRead: Buffer.byteLength(file),
      failure: null,
    });
    expect(done.errors.map((e: { line: number }) => e.line)).toEqual(
      Array.from({ length: 20 }, (_, k) => 1000 * (k + 1) + 1),
    );
    expect(await countRows(ctx, 'contacts', 'tenant_id = ?', [s.tenant.id])).toBe(19_980);
    // The job marks the import done, then removes the spool file.
    expect(
      await eventually(
        async () => spooled(),
        (files) => files.length === 0,
        10_000,
      ),
    ).toEqual([]);
    // The job payload is the import id only, never contact data.
    const job = await ctx.deps.queues.get('import').getJob(`contacts-import-${response.body.id}`);
    expect(job?.data).toEqual({ importId: response.body.id });
  });

  it('runs a dry run as a job without writing contacts', async () => {
    const s = await seedTenant(ctx, 'job-dry', { defaultCountry: 'DE' });
    const response = await upload(ctx, s.tokens.admin, s.slug, bigCsv(15_000, 'Dry'), 'format=csv&dryRun=true');
    expect(response.status).toBe(202);
    const done = await eventually(
      async () => (await s.admin.get(`/api/v1/tenants/${s.slug}/contacts/imports/${response.body.id}`)).body,
      (view) => view.status === 'done',
      60_000,
    );
    expect(done).toMatchObject({ dryRun: true, rowsRead: 15_000, created: 14_985, failed: 15 });
    expect(await countRows(ctx, 'contacts', 'tenant_id = ?', [s.tenant.id])).toBe(0);
  });
});

describe('resuming a job', () => {
  it('continues after the last committed batch, so no row is imported twice', async () => {
    const s = await seedTenant(ctx, 'job-resume', { defaultCountry: 'DE' });
    const file = bigCsv(3000, 'Resume');
    // As if an earlier run committed every row up to line 1201 and then died.
    const head = file.split('\r\n').slice(0, 1201).join('\r\n') + '\r\n';
    expect((await upload(ctx, s.tokens.admin, s.slug, head, 'format=csv&duplicates=report')).body.created).toBe(1199);
    mkdirSync(spoolDir, { recursive: true });
    const path = join(spoolDir, 'resume-test.upload');
    writeFileSync(path, file);
    const [row] = await ctx.deps.orm.em
      .fork()
      .getConnection()
      .execute<{ id: string }[]>(
        `insert into contact_imports (id, tenant_id, status, format, dry_run, duplicates, file_path, total_bytes, rows_read, created, failed, error_count, checkpoint_line)
       values (gen_random_uuid(), ?, 'running', 'csv', false, 'report', ?, ?, 1200, 1199, 1, 1, 1201) returning id`,
        [s.tenant.id, path, Buffer.byteLength(file)],
      );
    expect(await runImportJob(ctx.deps, row!.id)).toBe('done');
    const view = (await s.admin.get(`/api/v1/tenants/${s.slug}/contacts/imports/${row!.id}`)).body;
    expect(view).toMatchObject({ status: 'done', rowsRead: 3000, created: 2997, failed: 3, duplicatesFound: 0 });
    expect(await countRows(ctx, 'contacts', 'tenant_id = ?', [s.tenant.id])).toBe(2997);
    expect(existsSync(path)).toBe(false);
    // A finished import is left alone when its job runs again.
    expect(await runImportJob(ctx.deps, row!.id)).toBe('nothing to do');
  });
});

describe('import progress', () => {
  it('adds counters per batch and keeps only the first IMPORT_ERROR_CAP errors, in order', async () => {
    const s = await seedTenant(ctx, 'job-cap');
    const [row] = await ctx.deps.orm.em
      .fork()
      .getConnection()
      .execute<{ id: string }[]>(
        `insert into contact_imports (id, tenant_id, status, format, dry_run, duplicates) values (gen_random_uuid(), ?, 'running', 'csv', false, 'merge') returning id`,
        [s.tenant.id],
      );
    const knex = ctx.deps.orm.em.getKnex();
    const batch = (from: number, count: number) =>
      Array.from({ length: count }, (_, k) => ({
        line: from + k,
        field: 'row',
        code: 'invalid_number',
        message: 'bad',
      }));
    const counters = { ...zeroCounters(), rowsRead: 700, failed: 700, errorCount: 700 };
    await recordProgress(knex, row!.id, {
      counters: { ...counters, bytesRead: 100 },
      errors: batch(2, 700),
      checkpointLine: 701,
    });
    await recordProgress(knex, row!.id, {
      counters: { ...counters, bytesRead: 200 },
      errors: batch(702, 700),
      checkpointLine: 1401,
    });
    await recordProgress(knex, row!.id, {
      counters: { ...counters, bytesRead: 300 },
      errors: batch(1402, 700),
      checkpointLine: 2101,
    });
    const view = (await s.admin.get(`/api/v1/tenants/${s.slug}/contacts/imports/${row!.id}`)).body;
    expect(view).toMatchObject({ rowsRead: 2100, failed: 2100, errorCount: 2100, bytesRead: 300 });
    expect(view.errors).toHaveLength(IMPORT_ERROR_CAP);
    expect(view.errors.map((e: { line: number }) => e.line)).toEqual(
      Array.from({ length: IMPORT_ERROR_CAP }, (_, k) => k + 2),
    );
  });
});
