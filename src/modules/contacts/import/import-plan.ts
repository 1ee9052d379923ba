import { randomUUID } from 'node:crypto';
import type { NormalisedContact } from '../io/contact-draft.js';
import { mergeContacts } from '../io/dedupe.js';
import type { DuplicateMode, ImportRowError } from '../../../model/contacts/contact-import.entity.js';

/** A valid row of the file with its stored duplicate key (storedDedupeKey). */
export interface ImportRow {
  line: number;
  key: string;
  contact: NormalisedContact;
}

export interface ExistingContact {
  id: string;
  contact: NormalisedContact;
}

/** created: a new contact; updated: merged into a stored one that changes; skipped: changes nothing (same as stored, or folded into an earlier row). */
export type PlannedOutcome = 'created' | 'updated' | 'skipped';

export interface BatchPlan {
  inserts: { id: string; line: number; key: string; contact: NormalisedContact }[];
  /** Existing contacts whose merged value differs from what is stored. */
  updates: { id: string; contact: NormalisedContact }[];
  /** Existing contacts rows were merged into (they join the import's phonebooks too). */
  mergedInto: string[];
  errors: ImportRowError[];
  /** What each group of rows does, by its first line: the dry run's preview samples. */
  outcomes: { line: number; outcome: PlannedOutcome; contact: NormalisedContact }[];
  created: number;
  merged: number;
  duplicates: number;
}

/**
 * Decides what one batch does, without touching the database. Rows with the same key inside the
 * batch form a group (file order kept). A group whose key matches an existing contact merges
 * into it (earlier data wins, as in the io layer's mergeContacts) or, in report mode, is
 * reported row by row. `seenLines` holds the first line of every key the file already wrote (or,
 * in a dry run, would have written) in earlier batches.
 */
export function planBatch(
  rows: ImportRow[],
  mode: DuplicateMode,
  seenLines: ReadonlyMap<string, number>,
  existing: ReadonlyMap<string, ExistingContact>,
  dryRun: boolean,
): BatchPlan {
  const plan: BatchPlan = {
    inserts: [],
    updates: [],
    mergedInto: [],
    errors: [],
    outcomes: [],
    created: 0,
    merged: 0,
    duplicates: 0,
  };
  for (const group of groupByKey(rows)) {
    const first = group[0]!;
    const priorLine = seenLines.get(first.key);
    const match = existing.get(first.key);
    if (mode === 'report') {
      const original = priorLine !== undefined ? `line ${priorLine}` : match ? `existing contact ${match.id}` : null;
      const reported = original === null ? group.slice(1) : group;
      for (const row of reported) {
        plan.errors.push({
          line: row.line,
          field: 'row',
          code: 'duplicate',
          message: `same name and numbers as ${original ?? `line ${first.line}`}`,
        });
      }
      plan.duplicates += reported.length;
      if (original === null) {
        plan.inserts.push({ id: randomUUID(), line: first.line, key: first.key, contact: first.contact });
        plan.outcomes.push({ line: first.line, outcome: 'created', contact: first.contact });
        plan.created++;
      }
      continue;
    }
    const value = group.slice(1).reduce((acc, row) => mergeContacts(acc, row.contact), first.contact);
    if (match) {
      const merged = mergeContacts(match.contact, value);
      const changes = JSON.stringify(merged) !== JSON.stringify(match.contact);
      if (changes) plan.updates.push({ id: match.id, contact: merged });
      plan.outcomes.push({ line: first.line, outcome: changes ? 'updated' : 'skipped', contact: value });
      plan.mergedInto.push(match.id);
      plan.merged += group.length;
    } else if (dryRun && priorLine !== undefined) {
      // Merges into a contact an earlier batch of this dry run would have created.
      plan.outcomes.push({ line: first.line, outcome: 'skipped', contact: value });
      plan.merged += group.length;
    } else {
      plan.inserts.push({ id: randomUUID(), line: first.line, key: first.key, contact: value });
      plan.outcomes.push({ line: first.line, outcome: 'created', contact: value });
      plan.created++;
      plan.merged += group.length - 1;
    }
  }
  return plan;
}

function groupByKey(rows: ImportRow[]): ImportRow[][] {
  const groups = new Map<string, ImportRow[]>();
  for (const row of rows) {
    const group = groups.get(row.key);
    if (group) group.push(row);
    else groups.set(row.key, [row]);
  }
  return [...groups.values()];
}
