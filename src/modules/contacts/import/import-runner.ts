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

export const IMPORT_BATCH_SIZE = 1000;

/**
 * One batch as the reader cut it: its valid rows and what else was read since the previous cut
 * (row errors, counters, the last line read, bytes read). Committed together, so the checkpoint
 * never passes a row that is not written.
 */
interface BatchUnit {
  rows: ImportRow[];
  carried: ProgressDelta;
}

/**
 * Streams a file through the io layer into the database: rows are validated as they arrive and
 * written in batches, each batch in its own transaction. A batch that fails is retried row by
 * row, so a bad row costs only itself. A dry run reads the database (to find duplicates) and
 * writes no contacts. The reader parses the next batch while the previous one is written (parsing
 * and validation are CPU in this process, writing is mostly Postgres); batches are still written
 * one after another, in file order. Memory: two batches plus one small entry per distinct key.
 */
export async function runImport(knex: Knex, input: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer>, options: RunImportOptions): Promise<ImportSummary> {
  const run = new ImportRun(knex, options);
  return run.consume(input);
}

const emptyDelta = (checkpointLine = 0): ProgressDelta => ({ counters: zeroCounters(), errors: [], checkpointLine });

class ImportRun {
  private readonly summary: ImportSummary = { ...zeroCounters(), errors: [] };
  /** Read since the last cut: counters, errors and the last line read. */
  private carried: ProgressDelta = emptyDelta();
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
    let writing: Promise<void> | undefined;
    try {
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
          const unit = this.cut(rows);
          rows = [];
          await writing;
          writing = this.writeUnit(unit);
          // Awaited before the next cut or at the end; this only keeps an early rejection from counting as unhandled.
          writing.catch(() => undefined);
        }
      }
      await writing;
    } catch (error) {
      // A write still in flight must settle before the caller can retry from the checkpoint.
      await writing?.catch(() => undefined);
      throw error;
    }
    await this.writeUnit(this.cut(rows));
    return this.summary;
  }

  private cut(rows: ImportRow[]): BatchUnit {
    const carried = this.carried;
    carried.counters.bytesRead = this.bytesRead;
    this.carried = emptyDelta(carried.checkpointLine);
    return { rows, carried };
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

  /** Commits the batch (or, when it fails, each row alone), then anything of the unit still uncommitted. */
  private async writeUnit(unit: BatchUnit): Promise<void> {
    const { rows } = unit;
    if (rows.length > 0 && (await this.tryWrite(rows, unit))) return;
    if (rows.length > 1) {
      for (const row of rows) if (!(await this.tryWrite([row], unit))) this.rowFailed(row, unit);
    } else if (rows.length === 1) {
      this.rowFailed(rows[0]!, unit);
    }
    await this.tryWrite([], unit);
  }

  private rowFailed(row: ImportRow, unit: BatchUnit): void {
    unit.carried.counters.failed++;
    unit.carried.counters.errorCount++;
    unit.carried.errors.push({ line: row.line, field: 'row', code: 'write_failed', message: 'the row could not be stored' });
  }

  /**
   * One transaction: the rows and the unit's progress not yet committed (which then counts as
   * committed). False when the database refused it.
   */
  private async tryWrite(rows: ImportRow[], unit: BatchUnit): Promise<boolean> {
    const { tenantId, duplicates, dryRun, importId } = this.options;
    const { carried } = unit;
    const delta: ProgressDelta = { counters: { ...carried.counters }, errors: [...carried.errors], checkpointLine: carried.checkpointLine };
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
    unit.carried = { counters: { ...zeroCounters(), bytesRead: carried.counters.bytesRead }, errors: [], checkpointLine: carried.checkpointLine };
    this.commit(delta);
    return true;
  }

  private commit(delta: ProgressDelta): void {
    const { counters } = delta;
    for (const name of ['rowsRead', 'created', 'merged', 'duplicatesFound', 'failed', 'errorCount'] as const) this.summary[name] += counters[name];
    this.summary.bytesRead = counters.bytesRead;
    const room = IMPORT_ERROR_CAP - this.summary.errors.length;
    if (room > 0) this.summary.errors.push(...delta.errors.slice(0, room));
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
