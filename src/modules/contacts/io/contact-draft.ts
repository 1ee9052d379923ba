import { isExtension, normaliseE164, withoutEdgeSeparators } from '../../numbers/e164.js';
import { NUMBER_TYPES, type NumberType } from '../../../model/contacts/contact-number.entity.js';
import { cleanText, codePointLength, controlCharacterIn, foldForComparison } from './contact-text.js';

export interface ContactNumber {
  type: NumberType;
  number: string;
}

/** A contact as it arrives from an import or an API body, before validation. */
export interface ContactDraft {
  firstName?: string;
  lastName?: string;
  company?: string;
  title?: string;
  email?: string;
  numbers: { type: NumberType; number: string }[];
}

/**
 * A validated contact: text cleaned, absent fields null, numbers E.164 (public) or digits
 * (internal extension), duplicates removed and ordered by NUMBER_TYPES (stable within a type).
 * The fixed order is what lets a CSV export (one column per type) re-import to the same value.
 */
export interface NormalisedContact {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  title: string | null;
  email: string | null;
  numbers: ContactNumber[];
}

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export type DraftValidation = { ok: true; contact: NormalisedContact } | { ok: false; errors: FieldError[] };

export interface ValidateOptions {
  /** ISO 3166 alpha-2 country for numbers written without a country code. */
  defaultCountry?: string;
}

export const CONTACT_LIMITS = {
  textLength: 100,
  emailLength: 254,
  numbersPerContact: 20,
} as const;

// Deliberately permissive: one @, no whitespace, a dotted domain. Mail servers decide the rest.
const EMAIL_SHAPE = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/u;

const TEXT_FIELDS = ['firstName', 'lastName', 'company', 'title'] as const;

export function validateDraft(draft: ContactDraft, options: ValidateOptions = {}): DraftValidation {
  const errors: FieldError[] = [];
  const text = {} as Record<(typeof TEXT_FIELDS)[number], string | null>;
  for (const field of [...TEXT_FIELDS, 'email'] as const) {
    // Refused, not stripped: a NUL or BEL inside a name is a broken cell (as in a number), and
    // stripping it would store a name nobody typed.
    const control = controlCharacterIn(draft[field]);
    if (control !== null)
      errors.push({ field, code: 'invalid_text', message: `${field} holds a control character (${control})` });
  }
  for (const field of TEXT_FIELDS) {
    const value = cleanText(draft[field]);
    if (value !== null && codePointLength(value) > CONTACT_LIMITS.textLength) {
      errors.push({
        field,
        code: 'too_long',
        message: `${field} is longer than ${CONTACT_LIMITS.textLength} characters`,
      });
    }
    text[field] = value;
  }

  const email = cleanText(draft.email);
  if (email !== null && controlCharacterIn(draft.email) === null) {
    if (email.length > CONTACT_LIMITS.emailLength) {
      errors.push({
        field: 'email',
        code: 'too_long',
        message: `email is longer than ${CONTACT_LIMITS.emailLength} characters`,
      });
    } else if (!EMAIL_SHAPE.test(email)) {
      errors.push({ field: 'email', code: 'invalid_email', message: 'email is not an email address' });
    }
  }

  if (text.firstName === null && text.lastName === null && text.company === null) {
    errors.push({ field: 'name', code: 'name_required', message: 'a first name, last name or company is required' });
  }

  const numbers = normaliseNumbers(draft.numbers ?? [], options, errors);
  if (numbers.length === 0 && !errors.some((e) => e.field.startsWith('numbers'))) {
    errors.push({ field: 'numbers', code: 'number_required', message: 'at least one phone number is required' });
  }

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, contact: { ...text, email, numbers } };
}

function normaliseNumbers(
  input: ContactDraft['numbers'],
  options: ValidateOptions,
  errors: FieldError[],
): ContactNumber[] {
  const seen = new Set<string>();
  const numbers: ContactNumber[] = [];
  input.forEach((entry, index) => {
    const field = `numbers[${index}]`;
    if (!(NUMBER_TYPES as readonly string[]).includes(entry.type)) {
      errors.push({
        field: `${field}.type`,
        code: 'invalid_number_type',
        message: `number type must be one of ${NUMBER_TYPES.join(', ')}`,
      });
      return;
    }
    // Not cleanText: it strips control characters, and a number with a NUL, a BEL or a line
    // break inside it is a broken cell, not a number to repair (invalid_number below).
    const raw = entry.number.normalize('NFC');
    if (cleanText(raw) === null && !/[\u0000-\u001F\u007F-\u009F]/.test(raw)) return;
    const normalised = normaliseNumber(raw, options.defaultCountry);
    if (!normalised.ok) {
      errors.push({
        field: `${field}.number`,
        code: 'invalid_number',
        message: `${JSON.stringify(raw)} is not a valid phone number: ${normalised.reason}`,
      });
      return;
    }
    const key = `${entry.type} ${normalised.number}`;
    if (seen.has(key)) return;
    seen.add(key);
    numbers.push({ type: entry.type, number: normalised.number });
  });
  if (numbers.length > CONTACT_LIMITS.numbersPerContact) {
    errors.push({
      field: 'numbers',
      code: 'too_many_numbers',
      message: `a contact has at most ${CONTACT_LIMITS.numbersPerContact} numbers`,
    });
  }
  return sortByType(numbers);
}

type NumberResult = { ok: true; number: string } | { ok: false; reason: string };

/**
 * Parsing with libphonenumber's full metadata is the costliest step of validating a contact, and
 * import files repeat numbers (a company's switchboard and fax on every employee's row). The
 * answer depends only on the text and the country, so it is remembered; bounded by emptying.
 */
const numberCache = new Map<string, NumberResult>();
const NUMBER_CACHE_LIMIT = 20_000;

function normaliseNumber(raw: string, defaultCountry: string | undefined): NumberResult {
  const key = `${defaultCountry ?? ''}|${raw}`;
  const known = numberCache.get(key);
  if (known) return known;
  let result: NumberResult;
  if (isExtension(raw)) {
    result = { ok: true, number: withoutEdgeSeparators(raw) };
  } else {
    const parsed = normaliseE164(raw, defaultCountry);
    result = parsed.ok ? { ok: true, number: parsed.e164 } : parsed;
  }
  if (numberCache.size >= NUMBER_CACHE_LIMIT) numberCache.clear();
  numberCache.set(key, result);
  return result;
}

/** Stable sort into NUMBER_TYPES order; numbers of one type keep their relative order. */
export function sortByType(numbers: ContactNumber[]): ContactNumber[] {
  return NUMBER_TYPES.flatMap((type) => numbers.filter((n) => n.type === type));
}

/**
 * Two contacts are duplicates when their folded display name and their set of numbers
 * (types ignored) match. The name is "first last" when either exists, else the company.
 */
export function dedupeKey(contact: NormalisedContact): string {
  const person = [contact.firstName, contact.lastName].filter((part) => part !== null).join(' ');
  const name = foldForComparison(person.length > 0 ? person : contact.company);
  const numbers = [...new Set(contact.numbers.map((n) => n.number))].sort();
  return `${name}\u0000${numbers.join('\u0000')}`;
}
