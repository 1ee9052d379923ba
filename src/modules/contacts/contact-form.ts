import { AppError } from '../../errors/errors.js';
import { formText, validateBody } from '../console/form-validation.js';
import { CreateContactBody, type CreateContactInput } from './contacts.schemas.js';
import { NUMBER_TYPES, type NumberType } from '../../model/contacts/contact-number.entity.js';

/** Number rows the form shows beyond the contact's own (a fixed set of empty rows, no script needed). */
export const EMPTY_NUMBER_ROWS = 3;
/** At most this many rows are read from a posted form (the schema allows 50 numbers). */
const MAX_ROWS = 50;

export const TEXT_FIELDS = ['firstName', 'lastName', 'company', 'title', 'email'] as const;

export interface ContactFormValues {
  firstName: string;
  lastName: string;
  company: string;
  title: string;
  email: string;
  numbers: { type: string; number: string }[];
  phonebookIds: string[];
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** The posted form as typed values, for re-rendering it unchanged next to its errors. */
export function formValues(form: Record<string, unknown>): ContactFormValues {
  const numbers: { type: string; number: string }[] = [];
  for (let index = 0; index < MAX_ROWS; index++) {
    const type = form[`type_${index}`];
    const number = form[`number_${index}`];
    if (type === undefined && number === undefined) continue;
    numbers.push({ type: typeof type === 'string' ? type : '', number: typeof number === 'string' ? number : '' });
  }
  const text = (key: string) => (typeof form[key] === 'string' ? (form[key] as string) : '');
  return {
    firstName: text('firstName'),
    lastName: text('lastName'),
    company: text('company'),
    title: text('title'),
    email: text('email'),
    numbers,
    phonebookIds: list(form.phonebookIds),
  };
}

/**
 * The form as the REST create body: empty text fields and number rows without a number are left
 * out. `rows` maps each body number back to its form row, so an error lands on the right row.
 */
export function contactBodyFromForm(values: ContactFormValues): { body: CreateContactInput; rows: number[] } {
  const body: Record<string, unknown> = {};
  for (const key of TEXT_FIELDS) {
    const value = formText(values as unknown as Record<string, unknown>, key);
    if (value !== undefined) body[key] = value;
  }
  const rows: number[] = [];
  const numbers: { type: NumberType; number: string }[] = [];
  values.numbers.forEach((row, index) => {
    if (row.number.trim() === '') return;
    rows.push(index);
    numbers.push({ type: row.type as NumberType, number: row.number.trim() });
  });
  body.numbers = numbers;
  body.phonebookIds = [...new Set(values.phonebookIds)];
  return { body: body as CreateContactInput, rows };
}

/** "numbers.2.number" (schema) or "numbers[2].number" (service) → the form field name. */
function fieldOf(path: string, rows: number[]): string {
  const match = /^numbers(?:\.|\[)(\d+)\]?(?:\.(type|number))?$/.exec(path);
  if (match) return `${match[2] ?? 'number'}_${rows[Number(match[1])] ?? 0}`;
  if (path.startsWith('numbers')) return 'numbers';
  if (path.startsWith('phonebookIds')) return 'phonebookIds';
  if (path === 'name' || path === 'form') return 'firstName';
  return (TEXT_FIELDS as readonly string[]).includes(path) ? path : 'firstName';
}

/** Schema errors of the body, keyed by form field. */
export function schemaErrors(body: CreateContactInput, rows: number[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [path, message] of Object.entries(validateBody(CreateContactBody, body))) {
    errors[fieldOf(path, rows)] ??= path.endsWith('.type')
      ? `number type must be one of ${NUMBER_TYPES.join(', ')}`
      : message;
  }
  return errors;
}

/** A service's 4xx as field errors (validateDraft's list, or the field a reference error names). */
export function serviceErrors(error: AppError, rows: number[]): Record<string, string> {
  const errors: Record<string, string> = {};
  const details = error.details as { errors?: { field: string; message: string }[]; field?: string } | undefined;
  if (details?.errors?.length) {
    for (const e of details.errors) errors[fieldOf(e.field, rows)] ??= e.message;
  } else {
    errors[details?.field ? fieldOf(details.field, rows) : 'firstName'] = error.message;
  }
  return errors;
}
