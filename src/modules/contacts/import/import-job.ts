import { createReadStream } from 'node:fs';
import { access, rm } from 'node:fs/promises';
import type { Job } from 'bullmq';
import type { Knex } from '@mikro-orm/postgresql';
import type { Deps } from '../../../deps/deps.js';
import type { QueueHandlers } from '../../../queues/worker-host.js';
import type { DuplicateMode, ImportFormat, ImportStatus } from '../../../model/contacts/contact-import.entity.js';
import { runImport } from './import-runner.js';

interface ImportRow {
  id: string;
  tenant_id: string;
  status: ImportStatus;
  format: ImportFormat;
  dry_run: boolean;
  duplicates: DuplicateMode;
  phonebook_id: string | null;
  file_path: string | null;
  checkpoint_line: number;
  default_country: string | null;
}

/** The import queue's handlers; served by workers of the 'render' role. */
export function importHandlers(deps: Pick<Deps, 'orm' | 'logger'>): QueueHandlers<'import'> {
  return {
    'contacts.import': async ({ importId }, job) => runImportJob(deps, importId, isLastAttempt(job)),
  };
}

function isLastAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/**
 * Runs one spooled import. Safe to run again: a finished import is left alone, and a stored
 * import resumes after the last committed batch (its checkpoint). A dry run has no checkpoint
 * and starts over. The spool file is removed once the import is done or has finally failed.
 */
export async function runImportJob(
  deps: Pick<Deps, 'orm' | 'logger'>,
  importId: string,
  lastAttempt = true,
): Promise<string> {
  const knex = deps.orm.em.getKnex();
  const row = await loadImport(knex, importId);
  if (!row || row.status === 'done' || row.status === 'failed') return 'nothing to do';
  if (row.dry_run) {
    await knex.raw(
      `update contact_imports set bytes_read = 0, rows_read = 0, created = 0, merged = 0, duplicates_found = 0, failed = 0,
              error_count = 0, errors = '[]'::jsonb, checkpoint_line = 0 where id = ?`,
      [importId],
    );
  }
  await setStatus(knex, importId, 'running');
  if (!row.file_path || !(await exists(row.file_path))) {
    await finish(knex, row, 'failed', 'the uploaded file is no longer available; upload it again');
    return 'file missing';
  }
  try {
    await runImport(knex, createReadStream(row.file_path), {
      tenantId: row.tenant_id,
      format: row.format,
      dryRun: row.dry_run,
      duplicates: row.duplicates,
      phonebookId: row.phonebook_id,
      defaultCountry: row.default_country ?? undefined,
      importId,
      resumeAfterLine: row.dry_run ? 0 : row.checkpoint_line,
    });
  } catch (error) {
    deps.logger.warn({ importId, err: { message: (error as Error).message }, lastAttempt }, 'contacts import failed');
    if (lastAttempt)
      await finish(knex, row, 'failed', 'the import stopped on an internal error; rows before the failure were kept');
    else await setStatus(knex, importId, 'queued');
    throw error;
  }
  await finish(knex, row, 'done', null);
  return 'done';
}

async function loadImport(knex: Knex, id: string): Promise<ImportRow | undefined> {
  const result = await knex.raw(
    `select i.id, i.tenant_id, i.status, i.format, i.dry_run, i.duplicates, i.phonebook_id, i.file_path, i.checkpoint_line, t.default_country
       from contact_imports i join tenants t on t.id = i.tenant_id where i.id = ?`,
    [id],
  );
  return (result.rows as ImportRow[])[0];
}

async function setStatus(knex: Knex, id: string, status: ImportStatus): Promise<void> {
  await knex.raw(`update contact_imports set status = ?, updated_at = now() where id = ?`, [status, id]);
}

async function finish(knex: Knex, row: ImportRow, status: 'done' | 'failed', failure: string | null): Promise<void> {
  await knex.raw(
    `update contact_imports set status = ?, failure = ?, file_path = null, finished_at = now(), updated_at = now() where id = ?`,
    [status, failure, row.id],
  );
  if (row.file_path) await rm(row.file_path, { force: true });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
