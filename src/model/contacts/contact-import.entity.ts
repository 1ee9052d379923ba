import { Entity, Enum, ManyToOne, Property, type Opt } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';
import type { Phonebook } from '../phonebooks/phonebook.entity.js';

/**
 * 'report': the first contact of each key passes, later ones become `duplicate` row errors
 * naming the first line. Streams: memory is one hashed key and a line number per distinct
 * contact (about 90 bytes, measured at ~9 MB for 100,000 rows).
 *
 * 'merge': contacts with the same key become one, merged deterministically (first non-empty
 * value per field in input order, numbers unioned in first-seen order, then grouped by type as
 * everywhere). A later row can still merge into an earlier one, so merged contacts are held
 * until the input ends and then emitted in first-seen order, each with the lines merged into
 * it; row errors pass through at once. Memory is one contact per distinct key: about 1 KB
 * for a fully filled contact with two numbers, measured at ~95 MB for 100,000 of them.
 */
export type DuplicateMode = 'merge' | 'report';

export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const IMPORT_FORMATS = ['csv', 'vcard'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const DUPLICATE_MODES = ['merge', 'report'] as const satisfies readonly DuplicateMode[];

/** One row error as the API shows it: the file line, the field and a machine-readable code. */
export interface ImportRowError {
  line: number;
  field: string;
  code: string;
  message: string;
}

/**
 * One contacts import. Large uploads are spooled to `filePath` and run as a job; the job writes
 * its counters, the capped error list and `checkpointLine` in the same transaction as each
 * batch of contacts, so a re-run after a crash resumes exactly after the last committed batch.
 * Progress writes bypass the unit of work on purpose: they are bookkeeping, not audited changes.
 */
@Entity({ tableName: 'contact_imports' })
export class ContactImport extends TenantScopedEntity {
  @Enum({ items: () => IMPORT_STATUSES, default: 'queued' })
  status: Opt<ImportStatus> = 'queued';

  @Enum({ items: () => IMPORT_FORMATS })
  format!: ImportFormat;

  @Property({ type: 'boolean' })
  dryRun!: boolean;

  @Enum({ items: () => DUPLICATE_MODES })
  duplicates!: DuplicateMode;

  /** Imported contacts also join this phonebook. Deleting the phonebook leaves the record. */
  @ManyToOne({
    entity: 'Phonebook',
    nullable: true,
    deleteRule: 'set null',
    updateRule: 'cascade',
    index: 'contact_imports_phonebook_id_index',
  })
  phonebook?: Phonebook | null;

  /** The spooled upload; cleared once the job is finished with it. */
  @Property({ type: 'string', length: 500, nullable: true })
  filePath?: string | null;

  @Property({ type: 'integer', default: 0 })
  totalBytes: Opt<number> = 0;

  @Property({ type: 'integer', default: 0 })
  bytesRead: Opt<number> = 0;

  /** Rows (CSV) or cards (vCard) read, valid or not. */
  @Property({ type: 'integer', default: 0 })
  rowsRead: Opt<number> = 0;

  @Property({ type: 'integer', default: 0 })
  created: Opt<number> = 0;

  /** Rows merged into a contact (an earlier row of the file or an existing contact). */
  @Property({ type: 'integer', default: 0 })
  merged: Opt<number> = 0;

  /** Rows rejected as duplicates (report mode). */
  @Property({ type: 'integer', default: 0 })
  duplicatesFound: Opt<number> = 0;

  /** Rows rejected for any other reason. */
  @Property({ type: 'integer', default: 0 })
  failed: Opt<number> = 0;

  @Property({ type: 'integer', default: 0 })
  checkpointLine: Opt<number> = 0;

  /** The first IMPORT_ERROR_CAP row errors; `errorCount` has the total. */
  @Property({ type: 'json', default: '[]' })
  errors: Opt<ImportRowError[]> = [];

  @Property({ type: 'integer', default: 0 })
  errorCount: Opt<number> = 0;

  /** Why the whole import stopped (unreadable file, missing header); row problems go to `errors`. */
  @Property({ type: 'text', nullable: true })
  failure?: string | null;

  @Property({ type: 'datetime', nullable: true })
  finishedAt?: Date | null;
}
