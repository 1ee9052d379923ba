import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

/** The same options the REST API validates JSON bodies with (strict, no coercion), all errors at once. */
const ajv = addFormats(
  new Ajv({ useDefaults: true, removeAdditional: false, allErrors: true, coerceTypes: false, addUsedSchema: false }),
);
const compiled = new WeakMap<TSchema, ReturnType<Ajv['compile']>>();

/**
 * Checks a console form, turned into the REST body, against the route's TypeBox schema. Returns
 * a message per field path ("adminContact.itEmail"), empty when valid. Like the REST route, it fills the
 * schema's defaults into `body`: pass a copy when that object is also what the page shows back.
 */
export function validateBody(schema: TSchema, body: unknown): Record<string, string> {
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  if (validate(body)) return {};
  const errors: Record<string, string> = {};
  for (const error of validate.errors ?? []) {
    const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'form';
    errors[path] ??=
      error.keyword === 'format' ? `must be a valid ${String(error.params.format)}` : (error.message ?? 'is not valid');
  }
  return errors;
}

/** A form text field: trimmed; empty means "not given". */
export function formText(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
