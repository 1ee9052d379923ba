import type { Knex } from '@mikro-orm/postgresql';
import type { ImportFormat, ImportRowError } from '../contact-import.entity.js';
import { storedDedupeKey } from '../contact-search.js';
import { importCsv } from '../io/csv-import.js';
import type { DuplicateMode } from '../io/dedupe.js';
import { isHeaderNotice, type ImportRowResult } from '../io/import-result.js';
import { importVcard } from '../io/vcard-import.js';
import { planBatch, type ImportRow } from './import-plan.js';
import { IMPORT_ERROR_CAP, recordProgress, zeroCounters, type ImportCounters, type ProgressDelta } from './import-progress.js';
import { addToPhonebooks, findByKeys, importPhonebooks, insertContacts, updateContacts } from './import-sql.js';

export interface RunImportOptions {
  tenantId: string;
  format: ImportFormat;
  dryRun: boolean;
  duplicates: DuplicateMode;
  /** Imported contacts join this phonebook (already checked to be the tenant's) and the default one. */
  phonebookId: string | null;
  defaultCountry?: string;
  /** Job mode: every batch records its progress on this import row, in the batch's transaction. */
  importId?: string;
  /** Rows starting on or before this line were committed by an earlier run of the same import. */
  resumeAfterLine?: number;
  batchSize?: number;
}

export interface ImportSummary extends ImportCounters {
  /** The first IMPORT_ERROR_CAP row errors, in file order. */
  errors: ImportRowError[];
}

export const IMPORT_BATCH_SIZE = 500;

/**
 * Streams a file through the io layer into the database: rows are validated as they arrive and
 * written in batches, each batch in its own transaction. A batch that fails is retried row by
 * row, so a bad row costs only itself. A dry run reads the database (to find duplicates) and
 * writes no contacts. Memory: one batch plus one small entry per distinct contact key.
 */
export async function runImport(knex: Knex, input: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer>, options: RunImportOptions): Promise<ImportSummary> {
  const run = new ImportRun(knex, options);
  return run.consume(input);
}

class ImportRun {
  private readonly summary: ImportSummary = { ...zeroCounters(), errors: [] };
  /** Not yet committed: counters, errors and the last line read since the previous batch. */
  private carried: ProgressDelta = { counters: zeroCounters(), errors: [], checkpointLine: 0 };
  private readonly seenLines = new Map<string, number>();
  private phonebookIds: string[] = [];
  private bytesRead = 0;

  constructor(
    private readonly knex: Knex,
    private readonly options: RunImportOptions,
  ) {}

  async consume(input: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer>): Promise<ImportSummary> {
    if (!this.options.dryRun) this.phonebookIds = await importPhonebooks(this.knex, this.options.tenantId, this.options.phonebookId);
    const resumeAfter = this.options.resumeAfterLine ?? 0;
    const batchSize = this.options.batchSize ?? IMPORT_BATCH_SIZE;
    let rows: ImportRow[] = [];
    for await (const result of this.parse(this.counted(input))) {
      if (result.line <= resumeAfter) continue;
      this.carried.checkpointLine = Math.max(this.carried.checkpointLine, result.line);
      if (result.ok) {
        rows.push({ line: result.line, key: storedDedupeKey(result.contact), contact: result.contact });
        this.carried.counters.rowsRead++;
      } else {
        this.carryErrors(result);
      }
      if (rows.length >= batchSize) {
        await this.writeBatch(rows);
        rows = [];
      }
    }
    await this.writeBatch(rows);
    return this.summary;
  }

  private parse(input: AsyncIterable<Buffer | Uint8Array>): AsyncGenerator<ImportRowResult> {
    const defaultCountry = this.options.defaultCountry;
    return this.options.format === 'csv' ? importCsv(input, { defaultCountry }) : importVcard(input, { defaultCountry });
  }

  private async *counted(input: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer>): AsyncGenerator<Buffer | Uint8Array> {
    for await (const chunk of input) {
      this.bytesRead += chunk.length;
      yield chunk;
    }
  }

  private carryErrors(result: Extract<ImportRowResult, { ok: false }>): void {
    const entries = result.errors.map((e) => ({ line: result.line, field: e.field, code: e.code, message: e.message }));
    this.carried.errors.push(...entries);
    this.carried.counters.errorCount += entries.length;
    if (!isHeaderNotice(result)) {
      this.carried.counters.rowsRead++;
      this.carried.counters.failed++;
    }
  }

  /** Commits the batch (or, when it fails, each row alone), then anything still carried. */
  private async writeBatch(rows: ImportRow[]): Promise<void> {
    if (rows.length > 0 && (await this.tryWrite(rows))) return;
    if (rows.length > 1) {
      for (const row of rows) if (!(await this.tryWrite([row]))) this.rowFailed(row);
    } else if (rows.length === 1) {
      this.rowFailed(rows[0]!);
    }
    await this.tryWrite([]);
  }

  private rowFailed(row: ImportRow): void {
    this.carried.counters.failed++;
    this.carried.counters.errorCount++;
    this.carried.errors.push({ line: row.line, field: 'row', code: 'write_failed', message: 'the row could not be stored' });
  }

  /** One transaction: the rows and the carried progress. False when the database refused it. */
  private async tryWrite(rows: ImportRow[]): Promise<boolean> {
    const { tenantId, duplicates, dryRun, importId } = this.options;
    const delta: ProgressDelta = { counters: { ...this.carried.counters }, errors: [...this.carried.errors], checkpointLine: this.carried.checkpointLine };
    delta.counters.bytesRead = this.bytesRead;
    let inserted: { key: string; line: number }[] = [];
    try {
      await this.knex.transaction(async (trx) => {
        const existing = await findByKeys(trx, tenantId, [...new Set(rows.map((r) => r.key))]);
        const plan = planBatch(rows, duplicates, this.seenLines, existing, dryRun);
        if (!dryRun) {
          await insertContacts(trx, tenantId, plan.inserts);
          await updateContacts(trx, tenantId, plan.updates);
          await addToPhonebooks(trx, tenantId, this.phonebookIds, [...plan.inserts.map((i) => i.id), ...plan.mergedInto]);
        }
        delta.counters.created += plan.created;
        delta.counters.merged += plan.merged;
        delta.counters.duplicatesFound += plan.duplicates;
        delta.counters.errorCount += plan.errors.length;
        delta.errors.push(...plan.errors);
        delta.errors.sort((a, b) => a.line - b.line);
        if (importId) await recordProgress(trx, importId, delta);
        inserted = plan.inserts;
      });
    } catch (error) {
      if (isDataError(error)) return false;
      throw error;
    }
    for (const { key, line } of inserted) if (!this.seenLines.has(key)) this.seenLines.set(key, line);
    this.commit(delta);
    return true;
  }

  private commit(delta: ProgressDelta): void {
    const { counters } = delta;
    for (const name of ['rowsRead', 'created', 'merged', 'duplicatesFound', 'failed', 'errorCount'] as const) this.summary[name] += counters[name];
    this.summary.bytesRead = counters.bytesRead;
    const room = IMPORT_ERROR_CAP - this.summary.errors.length;
    if (room > 0) this.summary.errors.push(...delta.errors.slice(0, room));
    this.carried = { counters: zeroCounters(), errors: [], checkpointLine: delta.checkpointLine };
  }
}

/**
 * SQLSTATE classes 22 (data exception) and 23 (integrity violation) are the row's fault and
 * cost only that row; anything else (connection lost, database down) stops the import, so a job
 * is retried rather than reporting every row as failed.
 */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^2[23]/.test(code);
}
