import type { Knex } from '@mikro-orm/postgresql';
import type { TargetKind } from './render-target.entity.js';

export interface OutboxRow {
  id: string;
  tenant_id: string | null;
  table_name: string;
  op: 'I' | 'U' | 'D';
  keys: Record<string, unknown>;
}

export interface TargetSpec {
  targetKey: string;
  tenantId: string;
  kind: TargetKind;
  refId: string;
  format: string | null;
}

export interface FanoutResult {
  bump: TargetSpec[];
  /** Targets whose subject is gone: their row and artifacts are removed. */
  remove: string[];
}

/** Resolves a batch of one table's changes to the targets they affect, inside the relay's transaction. */
export type FanoutResolver = (trx: Knex.Transaction, rows: OutboxRow[]) => Promise<FanoutResult>;

export function deviceTarget(tenantId: string, deviceId: string): TargetSpec {
  return { targetKey: `device:${deviceId}`, tenantId, kind: 'device', refId: deviceId, format: null };
}

export function phonebookTarget(tenantId: string, phonebookId: string, format: string): TargetSpec {
  return { targetKey: `phonebook:${phonebookId}:${format}`, tenantId, kind: 'phonebook', refId: phonebookId, format };
}

export function directoryTarget(tenantId: string, format: string): TargetSpec {
  return { targetKey: `directory:${tenantId}:${format}`, tenantId, kind: 'directory', refId: tenantId, format };
}

/**
 * Collects string values of the given keys (new and old) across rows. A key holds one value (row
 * capture) or an array of values (set capture, one outbox row for many changed rows).
 */
export function collectKeys(rows: OutboxRow[], ...names: string[]): string[] {
  const values = new Set<string>();
  for (const row of rows) {
    for (const name of names) {
      for (const key of [name, `old_${name}`]) {
        const value = row.keys[key];
        for (const item of Array.isArray(value) ? value : [value])
          if (typeof item === 'string' && item) values.add(item);
      }
    }
  }
  return [...values];
}
