import type { Knex } from '@mikro-orm/postgresql';
import type { DuplicateMode, ImportFormat, ImportRowError } from '../../../model/contacts/contact-import.entity.js';
import { storedDedupeKey } from '../contact-search.js';
import { storableText } from '../io/contact-text.js';
import { importCsv } from '../io/csv-import.js';
import { isHeaderNotice, type ImportRowResult } from '../io/import-result.js';
import { importVcard } from '../io/vcard-import.js';
import { planBatch, type BatchPlan, type ImportRow, type PlannedOutcome } from './import-plan.js';
import {
  IMPORT_ERROR_CAP,
  recordProgress,
  zeroCounters,
  type ImportCounters,
  type ProgressDelta,
} from './import-progress.js';
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

/** A row as the preview shows it: its line and what it would store. */
export interface ImportSample {
  line: number;
  name: string;
  company: string | null;
  numbers: string[];
}

/** The first rows a dry run would create, update and skip (a batch's rows in file order). */
export type ImportSamples = Record<PlannedOutcome, ImportSample[]>;

/** Rows per outcome a dry run keeps for the preview. */
export const IMPORT_SAMPLE_CAP = 10;

export interface ImportSummary extends ImportCounters {
  /** The first IMPORT_ERROR_CAP row errors, in file order. */
  errors: ImportRowError[];
  /** Dry runs only. */
  samples?: ImportSamples;
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
  /** The checkpoint before this unit: its lines are those after it, up to `carried.checkpointLine`. */
  startLine: number;
  /** Lines of rows that failed validation (they count as read and failed), for splitting the unit. */
  failedLines: number[];
}

/**
 * Streams a file through the io layer into the database: rows are validated as they arrive and
 * written in batches, each batch in its own transaction. A batch that fails is retried row by
 * row, so a bad row costs only itself. A dry run reads the database (to find duplicates) and
 * writes no contacts. The reader parses the next batch while the previous one is written (parsing
 * and validation are CPU in this process, writing is mostly Postgres); batches are still written
 * one after another, in file order. Memory: two batches plus one small entry per distinct key.
 */
export async function runImport(
  knex: Knex,
  input: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer>,
  options: RunImportOptions,
): Promise<ImportSummary> {
  const run = new ImportRun(knex, options);
  return run.consume(input);
}

const emptyDelta = (checkpointLine = 0): ProgressDelta => ({ counters: zeroCounters(), errors: [], checkpointLine });

class ImportRun {
  private readonly summary: ImportSummary = { ...zeroCounters(), errors: [] };
  private readonly samples: ImportSamples = { created: [], updated: [], skipped: [] };
  /** Read since the last cut: counters, errors and the last line read. */
  private carried: ProgressDelta = emptyDelta();
  private carriedFailedLines: number[] = [];
  private readonly seenLines = new Map<string, number>();
  private unitStart = 0;
  private phonebookIds: string[] = [];
  private bytesRead = 0;

  constructor(
    private readonly knex: Knex,
    private readonly options: RunImportOptions,
  ) {}

  async consume(input: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer>): Promise<ImportSummary> {
    if (!this.options.dryRun)
      this.phonebookIds = await importPhonebooks(this.knex, this.options.tenantId, this.options.phonebookId);
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
    return this.options.dryRun ? { ...this.summary, samples: this.samples } : this.summary;
  }

  private cut(rows: ImportRow[]): BatchUnit {
    const carried = this.carried;
    carried.counters.bytesRead = this.bytesRead;
    const unit = { rows, carried, startLine: this.unitStart, failedLines: this.carriedFailedLines };
    this.carried = emptyDelta(carried.checkpointLine);
    this.carriedFailedLines = [];
    this.unitStart = carried.checkpointLine;
    return unit;
  }

  private parse(input: AsyncIterable<Buffer | Uint8Array>): AsyncGenerator<ImportRowResult> {
    const defaultCountry = this.options.defaultCountry;
    return this.options.format === 'csv'
      ? importCsv(input, { defaultCountry })
      : importVcard(input, { defaultCountry });
  }

  private async *counted(
    input: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer>,
  ): AsyncGenerator<Buffer | Uint8Array> {
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
      this.carriedFailedLines.push(result.line);
    }
  }

  /**
   * Commits the batch with the unit's progress; when the database refuses the batch, each row
   * alone, each with exactly the progress of the lines up to the next row, so a worker killed
   * during the retry resumes after the last row committed, neither skipping nor repeating one.
   */
  private async writeUnit(unit: BatchUnit): Promise<void> {
    const { rows, carried } = unit;
    if (await this.tryWrite(rows, carried)) return;
    if (rows.length === 0) throw new Error('import progress could not be recorded');
    let from = unit.startLine;
    for (let index = 0; index < rows.length; index++) {
      const row = rows[index]!;
      const upTo = index === rows.length - 1 ? carried.checkpointLine : rows[index + 1]!.line - 1;
      const slice = progressBetween(unit, from, upTo);
      if (!(await this.tryWrite([row], slice))) {
        slice.counters.failed++;
        slice.counters.errorCount++;
        slice.errors.push({
          line: row.line,
          field: 'row',
          code: 'write_failed',
          message: 'the row could not be stored',
        });
        slice.errors.sort((a, b) => a.line - b.line);
        if (!(await this.tryWrite([], slice))) throw new Error('import progress could not be recorded');
      }
      from = upTo;
    }
  }

  /**
   * One transaction: the rows and the given progress (which then counts as committed). False
   * when the database refused it.
   */
  private async tryWrite(rows: ImportRow[], progress: ProgressDelta): Promise<boolean> {
    const { tenantId, duplicates, dryRun, importId } = this.options;
    // Errors quote the file, and Postgres refuses NUL in jsonb: every error is made storable here,
    // the one place they are written (job progress) and summed (the request's answer and record).
    const errors = progress.errors.map((e) => ({
      ...e,
      field: storableText(e.field),
      message: storableText(e.message),
    }));
    const delta: ProgressDelta = {
      counters: { ...progress.counters },
      errors,
      checkpointLine: progress.checkpointLine,
    };
    let inserted: { key: string; line: number }[] = [];
    let outcomes: BatchPlan['outcomes'] = [];
    try {
      await this.knex.transaction(async (trx) => {
        const existing = rows.length
          ? await findByKeys(trx, tenantId, [...new Set(rows.map((r) => r.key))])
          : new Map();
        const plan = planBatch(rows, duplicates, this.seenLines, existing, dryRun);
        if (!dryRun) {
          await insertContacts(trx, tenantId, plan.inserts);
          await updateContacts(trx, tenantId, plan.updates);
          await addToPhonebooks(trx, tenantId, this.phonebookIds, [
            ...plan.inserts.map((i) => i.id),
            ...plan.mergedInto,
          ]);
        }
        delta.counters.created += plan.created;
        delta.counters.merged += plan.merged;
        delta.counters.duplicatesFound += plan.duplicates;
        delta.counters.errorCount += plan.errors.length;
        delta.errors.push(...plan.errors);
        delta.errors.sort((a, b) => a.line - b.line);
        if (importId) await recordProgress(trx, importId, delta);
        inserted = plan.inserts;
        outcomes = plan.outcomes;
      });
    } catch (error) {
      if (isDataError(error)) return false;
      throw error;
    }
    for (const { key, line } of inserted) if (!this.seenLines.has(key)) this.seenLines.set(key, line);
    if (dryRun) this.keepSamples(outcomes);
    this.commit(delta);
    return true;
  }

  private keepSamples(outcomes: BatchPlan['outcomes']): void {
    for (const { line, outcome, contact } of [...outcomes].sort((a, b) => a.line - b.line)) {
      const kept = this.samples[outcome];
      if (kept.length >= IMPORT_SAMPLE_CAP) continue;
      const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ') || (contact.company ?? '');
      kept.push({ line, name, company: contact.company, numbers: contact.numbers.map((n) => n.number) });
    }
  }

  private commit(delta: ProgressDelta): void {
    const { counters } = delta;
    for (const name of ['rowsRead', 'created', 'merged', 'duplicatesFound', 'failed', 'errorCount'] as const)
      this.summary[name] += counters[name];
    this.summary.bytesRead = counters.bytesRead;
    const room = IMPORT_ERROR_CAP - this.summary.errors.length;
    if (room > 0) this.summary.errors.push(...delta.errors.slice(0, room));
  }
}

/**
 * The part of a unit's progress on lines after `from` up to `upTo`: the one valid row there (a row
 * alone), the rows that failed validation there, and their errors (a header notice sits before
 * the first row, so it goes with the first slice).
 */
function progressBetween(unit: BatchUnit, from: number, upTo: number): ProgressDelta {
  const inRange = (line: number) => line > from && line <= upTo;
  const errors = unit.carried.errors.filter((error) => inRange(error.line));
  const failed = unit.failedLines.filter(inRange).length;
  return {
    counters: {
      ...zeroCounters(),
      bytesRead: unit.carried.counters.bytesRead,
      rowsRead: 1 + failed,
      failed,
      errorCount: errors.length,
    },
    errors,
    checkpointLine: upTo,
  };
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
