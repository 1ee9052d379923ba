import { createHash } from 'node:crypto';
import { dedupeKey, sortByType, type ContactNumber, type NormalisedContact } from './contact-draft.js';
import type { ImportRowResult } from './import-result.js';
import type { DuplicateMode } from '../../../model/contacts/contact-import.entity.js';

export async function* dedupeResults(
  results: AsyncIterable<ImportRowResult>,
  mode: DuplicateMode,
): AsyncGenerator<ImportRowResult> {
  if (mode === 'report') yield* reportDuplicates(results);
  else yield* mergeDuplicates(results);
}

function hashedKey(contact: NormalisedContact): string {
  return createHash('sha1').update(dedupeKey(contact)).digest('base64');
}

async function* reportDuplicates(results: AsyncIterable<ImportRowResult>): AsyncGenerator<ImportRowResult> {
  const firstLineByKey = new Map<string, number>();
  for await (const result of results) {
    if (!result.ok) {
      yield result;
      continue;
    }
    const key = hashedKey(result.contact);
    const firstLine = firstLineByKey.get(key);
    if (firstLine === undefined) {
      firstLineByKey.set(key, result.line);
      yield result;
    } else {
      yield {
        line: result.line,
        ok: false,
        errors: [{ field: 'row', code: 'duplicate', message: `same name and numbers as line ${firstLine}` }],
      };
    }
  }
}

interface MergedEntry {
  line: number;
  contact: NormalisedContact;
  mergedLines: number[];
}

async function* mergeDuplicates(results: AsyncIterable<ImportRowResult>): AsyncGenerator<ImportRowResult> {
  const entries = new Map<string, MergedEntry>();
  for await (const result of results) {
    if (!result.ok) {
      yield result;
      continue;
    }
    const key = hashedKey(result.contact);
    const entry = entries.get(key);
    if (entry === undefined) {
      entries.set(key, { line: result.line, contact: result.contact, mergedLines: [] });
    } else {
      entry.contact = mergeContacts(entry.contact, result.contact);
      entry.mergedLines.push(result.line);
    }
  }
  for (const { line, contact, mergedLines } of entries.values()) {
    yield mergedLines.length > 0 ? { line, ok: true, contact, mergedLines } : { line, ok: true, contact };
  }
}

/** `earlier` wins every field it has; `later` only fills gaps and adds numbers. */
export function mergeContacts(earlier: NormalisedContact, later: NormalisedContact): NormalisedContact {
  const seen = new Set(earlier.numbers.map(numberKey));
  const added: ContactNumber[] = later.numbers.filter((n) => !seen.has(numberKey(n)));
  return {
    firstName: earlier.firstName ?? later.firstName,
    lastName: earlier.lastName ?? later.lastName,
    company: earlier.company ?? later.company,
    title: earlier.title ?? later.title,
    email: earlier.email ?? later.email,
    numbers: sortByType([...earlier.numbers, ...added]),
  };
}

function numberKey(n: ContactNumber): string {
  return `${n.type} ${n.number}`;
}
