import { createHash } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Queues } from '../../queues/queues.js';
import type { ArtifactEvents } from './artifact-events.js';
import type { PipelineMetrics } from './pipeline.metrics.js';
import { RenderTarget } from './render-target.entity.js';
import { enqueueRenders } from './render-jobs.js';
import type { ArtifactFile, RendererRegistry } from './renderer.registry.js';

export interface RenderOutcome {
  status: 'rendered' | 'unchanged' | 'current' | 'gone';
  generation?: string;
  hash?: string;
}

export interface RenderHandlerDeps {
  orm: MikroORM;
  queues: Queues;
  renderers: RendererRegistry;
  events: ArtifactEvents;
  metrics: PipelineMetrics;
  logger: Logger;
  /** Called after a device target's combined hash changed (push resync hooks in here). */
  onDeviceHashChanged?: (target: { id: string; refId: string; tenantId: string; hash: string }) => Promise<void>;
}

function combinedHash(files: ArtifactFile[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => a.servePath.localeCompare(b.servePath))) hash.update(`${file.servePath}\0${file.sha256}\n`);
  return hash.digest('hex');
}

/**
 * Renders one target from committed state. Safe to run twice: the stored generation only moves
 * forward, and identical bytes change nothing downstream. A failure marks only this target
 * failed (with its error) and leaves its previous artifacts untouched.
 */
export async function renderTarget(deps: RenderHandlerDeps, targetId: string): Promise<RenderOutcome> {
  const em = deps.orm.em.fork();
  const target = await em.findOne(RenderTarget, { id: targetId });
  if (!target) return { status: 'gone' };
  if (BigInt(target.renderedGen) >= BigInt(target.desiredGen)) return { status: 'current' };
  const generation = String(target.desiredGen);
  const renderer = deps.renderers[target.kind];
  const stopTimer = deps.metrics.renderDuration.startTimer({ kind: target.kind });
  let files: ArtifactFile[];
  let warnings: string[];
  try {
    if (!renderer) throw new Error(`no renderer for target kind ${target.kind}`);
    ({ files, warnings } = await renderer(em, target));
  } catch (error) {
    const message = (error as Error).message.slice(0, 1000);
    await deps.orm.em
      .getKnex()
      .raw(`update render_targets set state = 'failed', last_error = ?, failures = failures + 1, updated_at = now() where id = ?`, [message, targetId]);
    deps.metrics.renders.inc({ kind: target.kind, outcome: 'failed' });
    throw error;
  }
  const hash = combinedHash(files);
  const changed = hash !== target.renderedHash;
  const knex = deps.orm.em.getKnex();
  let stored = false;
  await knex.transaction(async (trx) => {
    const updated = await trx.raw(
      `update render_targets set rendered_gen = ?, rendered_hash = ?, state = 'ok', last_error = null, failures = 0,
              warnings = ?::jsonb, rendered_at = now(), updated_at = now()
        where id = ? and rendered_gen < ? returning id`,
      [generation, hash, JSON.stringify(warnings), targetId, generation],
    );
    if (updated.rows.length === 0) return;
    stored = true;
    if (!changed) return;
    await trx.raw(`delete from artifacts where target_id = ? and not (serve_path = any(?::text[]))`, [targetId, files.map((file) => file.servePath)]);
    for (const file of files) {
      await trx.raw(
        `insert into artifacts (target_id, serve_path, content_type, body, sha256, generation, carries_secrets, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, now())
         on conflict (serve_path) do update set target_id = excluded.target_id, content_type = excluded.content_type, body = excluded.body,
           sha256 = excluded.sha256, generation = excluded.generation, carries_secrets = excluded.carries_secrets, updated_at = now()
         where artifacts.sha256 is distinct from excluded.sha256 or artifacts.target_id is distinct from excluded.target_id`,
        [targetId, file.servePath, file.contentType, file.body, file.sha256, generation, file.carriesSecrets],
      );
    }
  });
  stopTimer();
  if (!stored) return { status: 'current' };
  deps.metrics.renders.inc({ kind: target.kind, outcome: changed ? 'changed' : 'unchanged' });
  if (changed) {
    await deps.events.publishChanged([targetId]).catch(() => undefined);
    if (target.kind === 'device') await deps.onDeviceHashChanged?.({ id: targetId, refId: target.refId, tenantId: target.tenantId, hash });
  }
  // A change that landed while we rendered: queue the next render now rather than wait for the sweeper.
  const latest = await knex.raw(`select kind, desired_gen, rendered_gen from render_targets where id = ?`, [targetId]);
  const row = latest.rows[0] as { kind: string; desired_gen: string; rendered_gen: string } | undefined;
  if (row && BigInt(row.desired_gen) > BigInt(row.rendered_gen)) await enqueueRenders(deps.queues, [{ id: targetId, kind: row.kind, desiredGen: String(row.desired_gen) }]);
  return { status: changed ? 'rendered' : 'unchanged', generation, hash };
}
