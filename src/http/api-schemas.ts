import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { NAME_PATTERN } from './names.rule.js';

/** Building blocks shared by every admin route schema (OpenAPI at /docs is generated from these). */

export const ErrorBody = Type.Object(
  { code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) },
  { description: 'Every error: a stable machine-readable code, a message, optional details.' },
);

/** Error responses every route may give; documents the shape and serialises it. */
export const ERROR_RESPONSES = { '4xx': ErrorBody, '5xx': ErrorBody } as const;

export const Uuid = Type.String({ format: 'uuid' });
export const Timestamp = Type.String({ format: 'date-time' });
export const TenantSlug = Type.String({ minLength: 1, maxLength: 64 });

export const TenantParams = Type.Object({ tenant: TenantSlug });
export const TenantIdParams = Type.Object({ tenant: TenantSlug, id: Uuid });
export type TenantIdParamsType = Static<typeof TenantIdParams>;

export const PageQueryFields = {
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
};

export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });
}

export interface PageResult<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** Optional nullable text of bounded length, for PATCH-able free-text fields. */
export function Text(maxLength: number, minLength = 0) {
  return Type.String({ minLength, maxLength });
}

/** A name field (see NAME_PATTERN): trimmed, not blank, no control characters. */
export function Name(maxLength = 200) {
  return Type.String({
    minLength: 1,
    maxLength,
    pattern: NAME_PATTERN,
    description: `1 to ${maxLength} characters, no leading or trailing spaces, no control characters.`,
  });
}

export function NullableName(maxLength: number) {
  return Type.Union([Name(maxLength), Type.Null()]);
}

export function NullableText(maxLength: number) {
  return Type.Union([Type.String({ maxLength }), Type.Null()]);
}

export const Extension = Type.String({ pattern: '^[0-9]{2,8}$', description: 'Internal extension: 2 to 8 digits.' });

export const ConfirmQuery = Type.Object(
  { confirm: Type.Optional(Type.Boolean({ description: 'Required to delete something that is not empty.' })) },
  { additionalProperties: false },
);

export function iso(date: Date): string {
  return date.toISOString();
}
