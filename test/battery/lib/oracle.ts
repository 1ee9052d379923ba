import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { rendererRegistry } from '#src/app/renderers.js';
import { openOrm } from '#src/db/orm.js';
import { RenderTarget } from '#src/modules/pipeline/render-target.entity.js';
import { parseStrict } from '../../unit/render/phonebook/support/xml-check.js';
import { sleep } from './admin.js';

export interface PipelineState {
  outbox: number;
  lagging: number;
  failed: number;
  importsPending: number;
  targets: number;
}

export async function pipelineState(db: pg.Pool): Promise<PipelineState> {
  const { rows } = await db.query(
    `select (select count(*) from change_outbox)::int as outbox,
            (select count(*) from contact_imports where status in ('queued', 'running'))::int as "importsPending",
            count(*) filter (where rendered_gen < desired_gen)::int as lagging,
            count(*) filter (where state = 'failed')::int as failed,
            count(*)::int as targets
       from render_targets`,
  );
  return rows[0] as PipelineState;
}

/**
 * Waits until nothing is pending anywhere (outbox, lagging or failed targets, imports) on two
 * looks a second apart. Returns the milliseconds it took, or throws with the last state.
 */
export async function waitConverged(db: pg.Pool, timeoutMs: number): Promise<number> {
  const started = Date.now();
  let last: PipelineState | undefined;
  let quietSince: number | undefined;
  while (Date.now() - started < timeoutMs) {
    last = await pipelineState(db).catch(() => undefined);
    const quiet = !!last && last.outbox === 0 && last.lagging === 0 && last.failed === 0 && last.importsPending === 0;
    if (quiet) {
      quietSince ??= Date.now();
      if (Date.now() - quietSince >= 1000) return quietSince - started;
    } else {
      quietSince = undefined;
    }
    await sleep(250);
  }
  throw new Error(`no convergence within ${timeoutMs} ms; last state ${JSON.stringify(last)}`);
}

export interface Divergence {
  target: string;
  path: string;
  problem:
    'missing' | 'extra' | 'different bytes' | 'hash does not match body' | 'not well-formed XML' | 'target not current';
}

export interface OracleReport {
  targets: number;
  artifacts: number;
  xmlChecked: number;
  divergent: Divergence[];
}

/**
 * The battery's oracle: every target re-rendered here, in this process, from the final committed
 * state with the product's own renderers, and compared file by file (sha256) with what the
 * workers stored. Every stored XML file must also parse under a strict XML parser.
 */
export async function compareWithFreshRender(databaseUrl: string, publicPhoneUrl: string): Promise<OracleReport> {
  const orm = await openOrm({ databaseUrl, poolMax: 4 });
  const renderers = rendererRegistry({ publicPhoneUrl });
  const divergent: Divergence[] = [];
  let artifacts = 0;
  let xmlChecked = 0;
  const xml: { name: string; body: Buffer; target: string }[] = [];
  try {
    const knex = orm.em.getKnex();
    const targets = await orm.em.fork().find(RenderTarget, {}, { orderBy: { id: 'asc' } });
    for (const target of targets) {
      if (target.renderedGen !== target.desiredGen || target.state !== 'ok')
        divergent.push({ target: target.targetKey, path: '', problem: 'target not current' });
      const stored = (
        await knex.raw(`select serve_path, sha256, body, content_type from artifacts where target_id = ?`, [target.id])
      ).rows as {
        serve_path: string;
        sha256: string;
        body: Buffer;
        content_type: string;
      }[];
      artifacts += stored.length;
      const fresh = await renderers[target.kind]!(orm.em.fork() as EntityManager, target);
      const freshByPath = new Map(fresh.files.map((file) => [file.servePath, file.sha256]));
      for (const row of stored) {
        const expected = freshByPath.get(row.serve_path);
        if (createHash('sha256').update(row.body).digest('hex') !== row.sha256)
          divergent.push({ target: target.targetKey, path: row.serve_path, problem: 'hash does not match body' });
        if (expected === undefined)
          divergent.push({ target: target.targetKey, path: row.serve_path, problem: 'extra' });
        else if (expected !== row.sha256)
          divergent.push({ target: target.targetKey, path: row.serve_path, problem: 'different bytes' });
        freshByPath.delete(row.serve_path);
      }
      for (const path of freshByPath.keys()) divergent.push({ target: target.targetKey, path, problem: 'missing' });
      for (const row of stored) {
        if (row.content_type.includes('xml') || row.body.subarray(0, 5).toString() === '<?xml')
          xml.push({ name: row.serve_path.replace(/[^A-Za-z0-9._-]/g, '_'), body: row.body, target: target.targetKey });
      }
    }
    // One libxml2 run per batch (starting it costs far more than parsing a file); a failed batch
    // is parsed file by file, so only the files at fault are reported.
    for (let start = 0; start < xml.length;) {
      const batch: typeof xml = [];
      let bytes = 0;
      while (
        start < xml.length &&
        batch.length < 200 &&
        (batch.length === 0 || bytes + xml[start]!.body.length < 4 * 2 ** 20)
      ) {
        bytes += xml[start]!.body.length;
        batch.push(xml[start++]!);
      }
      xmlChecked += batch.length;
      const ok = await parseStrict(batch).then(
        () => true,
        () => false,
      );
      if (ok) continue;
      for (const file of batch) {
        await parseStrict([file]).catch((error: Error) =>
          divergent.push({
            target: file.target,
            path: `${file.name}: ${error.message.slice(0, 200)}`,
            problem: 'not well-formed XML',
          }),
        );
      }
    }
    return { targets: targets.length, artifacts, xmlChecked, divergent };
  } finally {
    await orm.close(true);
  }
}

/** Waits for convergence and records it as an invariant instead of stopping the scenario. */
export async function converge(
  db: pg.Pool,
  timeoutMs: number,
  record: { check: (name: string, ok: boolean, detail: string) => boolean },
): Promise<number | undefined> {
  try {
    const ms = await waitConverged(db, timeoutMs);
    record.check('converged: nothing left pending', true, `after ${ms} ms`);
    return ms;
  } catch (error) {
    record.check('converged: nothing left pending', false, (error as Error).message);
    return undefined;
  }
}
