import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { BadRequestError, UnavailableError } from '../../errors/errors.js';
import { Phonebook } from '../../model/phonebooks/phonebook.entity.js';
import { findInTenant, referenceInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { ContactImport } from '../../model/contacts/contact-import.entity.js';
import type { ImportQueryType, ImportViewType } from './contacts-io.schemas.js';
import { runImport, type ImportSummary } from './import/import-runner.js';
import { importJobId } from './import/import-sweep.js';
import { checkDeclaredLength, receiveUpload } from './import/import-upload.js';

export function importView(row: ContactImport): ImportViewType {
  return {
    id: row.id,
    status: row.status,
    format: row.format,
    dryRun: row.dryRun,
    duplicates: row.duplicates,
    phonebookId: row.phonebook?.id ?? null,
    totalBytes: row.totalBytes,
    bytesRead: row.bytesRead,
    rowsRead: row.rowsRead,
    created: row.created,
    merged: row.merged,
    duplicatesFound: row.duplicatesFound,
    failed: row.failed,
    errorCount: row.errorCount,
    errors: row.errors,
    failure: row.failure ?? null,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt ? row.finishedAt.toISOString() : null,
  };
}

function inlineView(
  query: Required<Pick<ImportQueryType, 'format' | 'dryRun' | 'duplicates'>>,
  phonebookId: string | null,
  total: number,
  summary: ImportSummary,
): ImportViewType {
  const now = new Date().toISOString();
  return {
    id: null,
    status: 'done',
    ...query,
    phonebookId,
    totalBytes: total,
    ...summary,
    failure: null,
    createdAt: now,
    finishedAt: now,
  };
}

export interface ImportRequest {
  tenant: Tenant;
  query: ImportQueryType;
  /** The raw request stream; undefined when the request has no body. */
  body: AsyncIterable<Buffer | Uint8Array | string> | undefined;
  contentLength: string | undefined;
  contentType: string | undefined;
}

function emptyUpload(): BadRequestError {
  return new BadRequestError(
    'empty_upload',
    'the request body is empty: send the CSV or vCard file itself as the body',
  );
}

/**
 * Receives an upload and imports it: small files within the request (answering the full
 * report), larger ones spooled and queued as a job whose progress GET contacts/imports/:id shows.
 * A stored import that is not a dry run leaves an audited ContactImport row either way.
 */
export async function startImport(
  deps: Pick<Deps, 'config' | 'queues'>,
  em: EntityManager,
  request: ImportRequest,
): Promise<{ queued: boolean; view: ImportViewType }> {
  const { tenant, query } = request;
  checkDeclaredLength(request.contentLength, deps.config.importMaxBytes);
  if (/^multipart\//i.test(request.contentType ?? '')) {
    throw new BadRequestError(
      'multipart_not_supported',
      'send the file itself as the request body (for example text/csv or text/vcard), not a multipart form',
    );
  }
  if (request.body === undefined) throw emptyUpload();
  const phonebook = query.phonebook
    ? await referenceInTenant(em, Phonebook, tenant, query.phonebook, 'phonebook')
    : null;
  const options = {
    format: query.format,
    dryRun: query.dryRun ?? false,
    duplicates: query.duplicates ?? ('merge' as const),
  };
  const upload = await receiveUpload(request.body, {
    maxBytes: deps.config.importMaxBytes,
    inlineBytes: deps.config.importInlineBytes,
    spoolDir: resolve(join(deps.config.dataDir, 'imports')),
  });
  if (upload.bytes === 0) throw emptyUpload();

  if (upload.kind === 'inline') {
    const run = (knex: Knex) =>
      runImport(knex, upload.chunks, {
        ...options,
        tenantId: tenant.id,
        phonebookId: phonebook?.id ?? null,
        defaultCountry: tenant.defaultCountry ?? undefined,
      });
    if (options.dryRun)
      return { queued: false, view: inlineView(options, phonebook?.id ?? null, upload.bytes, await run(em.getKnex())) };
    // All or nothing: the contacts and the import's record commit together (the runner's batches
    // become savepoints), so a failure leaves neither rows without a record nor a record without rows.
    const row = await em.transactional(async (tx) => {
      const summary = await run(tx.getTransactionContext() as Knex.Transaction);
      return tx.create(ContactImport, {
        tenant,
        ...options,
        phonebook,
        totalBytes: upload.bytes,
        ...summary,
        status: 'done',
        finishedAt: new Date(),
      });
    });
    return { queued: false, view: importView(row) };
  }

  const row = em.create(ContactImport, {
    tenant,
    ...options,
    phonebook,
    filePath: upload.path,
    totalBytes: upload.bytes,
  });
  await em.flush();
  try {
    await deps.queues.add('import', 'contacts.import', { importId: row.id }, { jobId: importJobId(row.id) });
  } catch (error) {
    // Without its job the import would wait forever: record why, drop the spool, answer 503.
    row.status = 'failed';
    row.failure = 'the import could not be queued';
    row.filePath = null;
    await em.flush();
    await rm(upload.path, { force: true });
    throw new UnavailableError('queue_unavailable', 'the import queue is unavailable; retry shortly', {
      cause: (error as Error).message,
    });
  }
  return { queued: true, view: importView(row) };
}

export async function getImport(em: EntityManager, tenant: Tenant, id: string): Promise<ImportViewType> {
  const row = await findInTenant(em, ContactImport, tenant, id, 'import');
  await em.refresh(row);
  return importView(row);
}
