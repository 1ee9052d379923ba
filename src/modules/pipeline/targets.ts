import type { Knex } from '@mikro-orm/postgresql';
import type { TargetSpec } from './fanout.types.js';

export interface BumpedTarget {
  id: string;
  targetKey: string;
  kind: string;
  desiredGen: string;
}

/** Creates missing targets and bumps desired generations, one statement for the whole batch. */
export async function bumpTargets(trx: Knex.Transaction, specs: TargetSpec[]): Promise<BumpedTarget[]> {
  const unique = [...new Map(specs.map((spec) => [spec.targetKey, spec])).values()].sort((a, b) =>
    a.targetKey.localeCompare(b.targetKey),
  );
  if (unique.length === 0) return [];
  const result = await trx.raw(
    `insert into render_targets (target_key, tenant_id, kind, ref_id, format, desired_gen, rendered_gen, state, updated_at)
     select t.target_key, t.tenant_id::uuid, t.kind, t.ref_id::uuid, t.format, 1, 0, 'pending', now()
       from jsonb_to_recordset(?::jsonb) as t(target_key text, tenant_id text, kind text, ref_id text, format text)
     on conflict (target_key) do update
       set desired_gen = render_targets.desired_gen + 1, updated_at = now(),
           state = case when render_targets.state = 'failed' then 'pending' else render_targets.state end
     returning id, target_key, kind, desired_gen`,
    [
      JSON.stringify(
        unique.map((spec) => ({
          target_key: spec.targetKey,
          tenant_id: spec.tenantId,
          kind: spec.kind,
          ref_id: spec.refId,
          format: spec.format,
        })),
      ),
    ],
  );
  return (result.rows as { id: string; target_key: string; kind: string; desired_gen: string }[]).map((row) => ({
    id: String(row.id),
    targetKey: row.target_key,
    kind: row.kind,
    desiredGen: String(row.desired_gen),
  }));
}

/** Removes targets (and, by cascade in the same statement, their artifacts). Returns removed ids. */
export async function removeTargets(trx: Knex.Transaction, targetKeys: string[]): Promise<string[]> {
  if (targetKeys.length === 0) return [];
  const removed = await trx.raw(`delete from render_targets where target_key = any(?::text[]) returning id`, [
    targetKeys,
  ]);
  const ids = (removed.rows as { id: string }[]).map((row) => String(row.id));
  if (ids.length) await trx.raw(`delete from artifacts where target_id = any(?::bigint[])`, [ids]);
  return ids;
}
