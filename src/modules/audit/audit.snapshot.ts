import { JsonType, ReferenceKind, wrap, type EntityMetadata, type EntityProperty } from '@mikro-orm/core';
import type { AuditSnapshot } from '../../model/audit/audit-entry.entity.js';
import { MASKED, maskJson } from './audit.mask.js';

/** Columns the trail leaves out of update diffs: they change on every write and say nothing. */
const NOISE = new Set(['updatedAt']);

function recordedProps(meta: EntityMetadata): EntityProperty[] {
  return meta.props.filter(
    (prop) =>
      prop.persist !== false &&
      (prop.kind === ReferenceKind.SCALAR ||
        prop.kind === ReferenceKind.MANY_TO_ONE ||
        (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)),
  );
}

function referenceId(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  return wrap(value as object, true).getPrimaryKey();
}

function isJson(prop: EntityProperty): boolean {
  return prop.customType instanceof JsonType || /^jsonb?$/.test(prop.columnTypes?.[0] ?? '') || prop.type === 'json';
}

/** The ORM's original-data record keeps JSON columns serialised; the trail needs them parsed to mask inside. */
function parsedJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** One property's value as the trail stores it: relations as ids, dates as ISO, secrets masked. */
function recordedValue(prop: EntityProperty, value: unknown, fromEntity: boolean): unknown {
  if (value === null) return null;
  if (prop.hidden) return MASKED;
  if (fromEntity && prop.kind !== ReferenceKind.SCALAR) return referenceId(value);
  if (value instanceof Date) return value.toISOString();
  if (isJson(prop)) return maskJson(parsedJson(value));
  if (typeof value === 'object') return maskJson(value);
  return value;
}

/**
 * Snapshot of an entity (`fromEntity`) or of the ORM's original-data record (relations there are
 * already ids). Properties never loaded (lazy) are simply absent.
 */
export function snapshot(
  meta: EntityMetadata,
  source: Record<string, unknown>,
  fromEntity: boolean,
  only?: Set<string>,
): AuditSnapshot {
  const result: AuditSnapshot = {};
  for (const prop of recordedProps(meta)) {
    if (only && !only.has(prop.name)) continue;
    const value = source[prop.name];
    if (value === undefined) continue;
    result[prop.name] = recordedValue(prop, value, fromEntity);
  }
  return result;
}

/** Names of the properties an update changed, without the noise columns. */
export function changedProps(payload: Record<string, unknown>): Set<string> {
  return new Set(Object.keys(payload).filter((name) => !NOISE.has(name)));
}
