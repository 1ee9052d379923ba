import type { Knex } from '@mikro-orm/postgresql';
import type { ImportRowError } from '../../../model/contacts/contact-import.entity.js';

/** The most row errors an import keeps (the count goes on); enough to fix a file, bounded in size. */
export const IMPORT_ERROR_CAP = 1000;

export interface ImportCounters {
  bytesRead: number;
  rowsRead: number;
  created: number;
  merged: number;
  duplicatesFound: number;
  failed: number;
  errorCount: number;
}

export function zeroCounters(): ImportCounters {
  return { bytesRead: 0, rowsRead: 0, created: 0, merged: 0, duplicatesFound: 0, failed: 0, errorCount: 0 };
}

/** What one committed batch adds to an import. */
export interface ProgressDelta {
  counters: ImportCounters;
  errors: ImportRowError[];
  checkpointLine: number;
}

/**
 * Writes a batch's progress onto the import row, in the batch's own transaction: counters and
 * the checkpoint move together with the contacts, so a resumed job neither skips nor repeats rows.
 */
export async function recordProgress(
  db: Knex | Knex.Transaction,
  importId: string,
  delta: ProgressDelta,
): Promise<void> {
  const c = delta.counters;
  await db.raw(
    `update contact_imports set
        bytes_read = ?, rows_read = rows_read + ?, created = created + ?, merged = merged + ?,
        duplicates_found = duplicates_found + ?, failed = failed + ?, error_count = error_count + ?,
        errors = case when jsonb_array_length(errors) >= ? then errors
                      else (select coalesce(jsonb_agg(e order by n), '[]'::jsonb) from jsonb_array_elements(errors || ?::jsonb) with ordinality as x(e, n) where n <= ?) end,
        checkpoint_line = greatest(checkpoint_line, ?), updated_at = now()
      where id = ?`,
    [
      c.bytesRead,
      c.rowsRead,
      c.created,
      c.merged,
      c.duplicatesFound,
      c.failed,
      c.errorCount,
      IMPORT_ERROR_CAP,
      JSON.stringify(delta.errors.slice(0, IMPORT_ERROR_CAP)),
      IMPORT_ERROR_CAP,
      delta.checkpointLine,
      importId,
    ],
  );
}
