import { createHash } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import type { ArtifactFile } from './renderer.registry.js';

export interface RenderToStore {
  targetId: string;
  /** The desired generation the render was started for. */
  generation: string;
  files: ArtifactFile[];
  warnings: string[];
}

export interface StoreOutcome {
  /** False when another render already stored this or a newer generation (nothing was written). */
  stored: boolean;
  /** The combined hash differs from the stored one: artifacts were rewritten. */
  changed: boolean;
  hash: string;
}

/** One hash over every file of a target (path and content hash), independent of file order. */
export function combinedHash(files: readonly ArtifactFile[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => a.servePath.localeCompare(b.servePath)))
    hash.update(`${file.servePath}\0${file.sha256}\n`);
  return hash.digest('hex');
}

const byNumericId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

/**
 * Stores a batch of renders in one transaction with a fixed number of statements. The target rows
 * are locked first (in id order, so two batches sharing targets cannot deadlock) and the
 * generation guard is decided on the locked rows: a render older than what is stored writes
 * nothing, and the hash comparison is against what is stored now, not what was read before the
 * render. An unchanged combined hash moves only the generation; artifacts, events and resyncs
 * stay untouched.
 */
export async function storeRenders(knex: Knex, renders: readonly RenderToStore[]): Promise<Map<string, StoreOutcome>> {
  const outcomes = new Map<string, StoreOutcome>();
  if (renders.length === 0) return outcomes;
  const byId = new Map(renders.map((render) => [render.targetId, render]));
  const ids = [...byId.keys()].sort(byNumericId);
  const hashes = new Map(ids.map((id) => [id, combinedHash(byId.get(id)!.files)]));
  await knex.transaction(async (trx) => {
    const locked = await trx.raw(
      `select id, rendered_gen, rendered_hash from render_targets where id = any(?::bigint[]) order by id for update`,
      [ids],
    );
    const current = new Map(
      (locked.rows as { id: string; rendered_gen: string; rendered_hash: string | null }[]).map((row) => [
        String(row.id),
        row,
      ]),
    );
    const stored: string[] = [];
    const changed: string[] = [];
    for (const id of ids) {
      const row = current.get(id);
      const render = byId.get(id)!;
      const hash = hashes.get(id)!;
      const isStored = row !== undefined && BigInt(row.rendered_gen) < BigInt(render.generation);
      const isChanged = isStored && hash !== row.rendered_hash;
      outcomes.set(id, { stored: isStored, changed: isChanged, hash });
      if (isStored) stored.push(id);
      if (isChanged) changed.push(id);
    }
    if (stored.length === 0) return;
    await trx.raw(
      `update render_targets t
          set rendered_gen = v.generation, rendered_hash = v.hash, state = 'ok', last_error = null, failures = 0,
              last_error_code = null, last_error_at = null, last_error_gen = null,
              warnings = v.warnings::jsonb, rendered_at = now(), updated_at = now()
         from unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[]) as v(id, generation, hash, warnings)
        where t.id = v.id`,
      [
        stored,
        stored.map((id) => byId.get(id)!.generation),
        stored.map((id) => hashes.get(id)!),
        stored.map((id) => JSON.stringify(byId.get(id)!.warnings)),
      ],
    );
    if (changed.length === 0) return;
    // Last writer wins should two targets of one batch claim a path (a MAC moved between devices).
    const files = new Map<string, { targetId: string; generation: string; file: ArtifactFile }>();
    for (const id of changed)
      for (const file of byId.get(id)!.files)
        files.set(file.servePath, { targetId: id, generation: byId.get(id)!.generation, file });
    const rows = [...files.values()].sort((a, b) =>
      a.file.servePath < b.file.servePath ? -1 : a.file.servePath > b.file.servePath ? 1 : 0,
    );
    await trx.raw(
      `delete from artifacts a
        where a.target_id = any(?::bigint[])
          and (a.target_id, a.serve_path) not in (select k.target_id, k.serve_path from unnest(?::bigint[], ?::text[]) as k(target_id, serve_path))`,
      [changed, rows.map((row) => row.targetId), rows.map((row) => row.file.servePath)],
    );
    if (rows.length === 0) return;
    await trx.raw(
      `insert into artifacts (target_id, serve_path, content_type, body, sha256, generation, carries_secrets, updated_at)
       select v.target_id, v.serve_path, v.content_type, v.body, v.sha256, v.generation, v.carries_secrets, now()
         from unnest(?::bigint[], ?::text[], ?::text[], ?::bytea[], ?::text[], ?::bigint[], ?::boolean[])
              as v(target_id, serve_path, content_type, body, sha256, generation, carries_secrets)
       on conflict (serve_path) do update set target_id = excluded.target_id, content_type = excluded.content_type, body = excluded.body,
         sha256 = excluded.sha256, generation = excluded.generation, carries_secrets = excluded.carries_secrets, updated_at = now()
       where artifacts.sha256 is distinct from excluded.sha256 or artifacts.target_id is distinct from excluded.target_id`,
      [
        rows.map((row) => row.targetId),
        rows.map((row) => row.file.servePath),
        rows.map((row) => row.file.contentType),
        rows.map((row) => row.file.body),
        rows.map((row) => row.file.sha256),
        rows.map((row) => row.generation),
        rows.map((row) => row.file.carriesSecrets),
      ],
    );
  });
  return outcomes;
}
