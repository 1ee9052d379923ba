import { BadRequestError } from '../../../errors/errors.js';
import type { PhonebookEntry, PhonebookInput, PhonebookNumber, PhonebookNumberType } from './phonebook.types.js';
import { cleanText } from './xml-text.js';

/** An entry with every text field cleaned for XML and only dialable, distinct numbers left. */
export interface CleanEntry {
  id: string;
  firstName: string;
  lastName: string;
  company: string;
  title: string;
  group: string;
  displayName: string;
  numbers: PhonebookNumber[];
}

export const NUMBER_LABEL: Record<PhonebookNumberType, string> = {
  work: 'Work',
  mobile: 'Mobile',
  home: 'Home',
  fax: 'Fax',
  other: 'Other',
  extension: 'Ext',
};

function cleanNumbers(numbers: readonly PhonebookNumber[] | undefined): PhonebookNumber[] {
  const seen = new Set<string>();
  const result: PhonebookNumber[] = [];
  for (const { type, number } of numbers ?? []) {
    // Phones put the text into the SIP request URI; inner spaces would make it undialable.
    const dialable = cleanText(number).replace(/ /g, '');
    if (dialable === '' || seen.has(dialable)) continue;
    seen.add(dialable);
    result.push({ type: type in NUMBER_LABEL ? type : 'other', number: dialable });
  }
  return result;
}

export function cleanEntry(entry: PhonebookEntry): CleanEntry {
  const firstName = cleanText(entry.firstName);
  const lastName = cleanText(entry.lastName);
  const company = cleanText(entry.company);
  const numbers = cleanNumbers(entry.numbers);
  const personal = [firstName, lastName].filter((part) => part !== '').join(' ');
  return {
    id: String(entry.id),
    firstName,
    lastName,
    company,
    title: cleanText(entry.title),
    group: cleanText(entry.group),
    displayName: personal || company || numbers[0]?.number || '',
    numbers,
  };
}

/** Display name with a number-type tag when one contact becomes several rows ("Ada Lovelace (Mobile)"). */
export function rowName(entry: CleanEntry, number: PhonebookNumber): string {
  return entry.numbers.length > 1 ? `${entry.displayName} (${NUMBER_LABEL[number.type]})` : entry.displayName;
}

/**
 * Warnings in first-seen order. Repeated per-entry events are counted into one line so a 50,000-entry
 * book yields a handful of warnings, not thousands.
 */
export class RenderWarnings {
  private readonly lines = new Map<string, number>();

  note(text: string): void {
    if (!this.lines.has(text)) this.lines.set(text, 0);
  }

  count(what: string, amount = 1): void {
    this.lines.set(what, (this.lines.get(what) ?? 0) + amount);
  }

  list(): string[] {
    return [...this.lines].map(([text, count]) => (count > 0 ? `${text}: ${count}` : text));
  }
}

/** Cleans entries as they stream in and skips (and counts) the ones nobody could dial. */
export async function* cleanEntries(input: PhonebookInput, warnings: RenderWarnings): AsyncGenerator<CleanEntry> {
  for await (const raw of input.entries) {
    const entry = cleanEntry(raw);
    if (entry.numbers.length === 0) {
      warnings.count('entries without a dialable number skipped');
      continue;
    }
    yield entry;
  }
}

/** Counts what fits under a vendor cap and what was left out, for one warning line at the end. */
export class EntryCap {
  private taken = 0;
  private leftOut = 0;

  constructor(
    readonly limit: number,
    private readonly unit: string,
    private readonly reason: string,
  ) {}

  take(): boolean {
    if (this.taken < this.limit) {
      this.taken++;
      return true;
    }
    this.leftOut++;
    return false;
  }

  get full(): boolean {
    return this.taken >= this.limit;
  }

  report(warnings: RenderWarnings): void {
    if (this.leftOut === 0) return;
    warnings.note(`truncated to ${this.limit} ${this.unit} (${this.reason}); ${this.leftOut} more left out`);
  }
}

export function resolveCap(requested: number | undefined, fallback: number): number {
  if (requested === undefined) return fallback;
  if (!Number.isSafeInteger(requested) || requested < 1) {
    throw new BadRequestError('invalid_phonebook_cap', 'phonebook cap must be a positive integer', { cap: requested });
  }
  return requested;
}

export interface NumberSlot<S extends string> {
  slot: S;
  accepts: readonly PhonebookNumberType[];
}

/**
 * Spreads typed numbers over a vendor's fixed fields (Fanvil Telephone/Mobile/Other, Gigaset
 * hm/nb/mb): each number goes to the first free field of its type, leftovers to the first free field
 * in `overflow` order, and what still does not fit is reported as dropped. Fields come back in
 * `slots` order.
 */
export function assignSlots<S extends string>(
  numbers: readonly PhonebookNumber[],
  slots: readonly NumberSlot<S>[],
  overflow: readonly S[] = slots.map(({ slot }) => slot),
): { filled: { slot: S; number: string }[]; dropped: number } {
  const bySlot = new Map<S, string>();
  const leftovers: PhonebookNumber[] = [];
  for (const number of numbers) {
    const home = slots.find((candidate) => candidate.accepts.includes(number.type) && !bySlot.has(candidate.slot));
    if (home) bySlot.set(home.slot, number.number);
    else leftovers.push(number);
  }
  let dropped = 0;
  for (const number of leftovers) {
    const free = overflow.find((slot) => !bySlot.has(slot));
    if (free) bySlot.set(free, number.number);
    else dropped++;
  }
  const filled = slots.filter(({ slot }) => bySlot.has(slot)).map(({ slot }) => ({ slot, number: bySlot.get(slot)! }));
  return { filled, dropped };
}
