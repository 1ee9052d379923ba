import pg from 'pg';
import { sleep } from './stats.js';

export interface PipelineState {
  outbox: number;
  targets: number;
  lagging: number;
  failed: number;
  deviceTargets: number;
}

/**
 * A direct read-only look at the pipeline's tables (the truth the sweeper also uses), for one
 * tenant's render targets: a database can hold other benchmarks' tenants (the smoke run shares
 * one stack), whose devices must not count towards this one's. The outbox is counted whole: it
 * is only empty once every tenant's changes are fanned out.
 */
export class PipelineWatch {
  private constructor(
    private readonly db: pg.Client,
    /** The tenant's id. */
    readonly tenantId: string,
  ) {}

  static async open(databaseUrl: string, tenantSlug: string): Promise<PipelineWatch> {
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const row = (await db.query(`select id from tenants where slug = $1`, [tenantSlug])).rows[0] as
      { id: string } | undefined;
    if (!row) {
      await db.end();
      throw new Error(`no tenant ${tenantSlug}`);
    }
    return new PipelineWatch(db, row.id);
  }

  async state(): Promise<PipelineState> {
    const result = await this.db.query(
      `select (select count(*) from change_outbox)::int as outbox,
              count(*)::int as targets,
              count(*) filter (where rendered_gen < desired_gen)::int as lagging,
              count(*) filter (where state = 'failed')::int as failed,
              count(*) filter (where kind = 'device')::int as "deviceTargets"
         from render_targets where tenant_id = $1`,
      [this.tenantId],
    );
    return result.rows[0] as PipelineState;
  }

  /** Waits until nothing is queued in the outbox and every target of the tenant is rendered (at least `deviceTargets` devices). */
  async converged(
    timeoutMs: number,
    minDeviceTargets = 0,
    onTick?: (state: PipelineState) => void,
  ): Promise<PipelineState> {
    const deadline = Date.now() + timeoutMs;
    let last = await this.state();
    while (Date.now() < deadline) {
      last = await this.state();
      onTick?.(last);
      if (last.failed > 0) throw new Error(`${last.failed} render targets failed: ${await this.firstError()}`);
      if (last.outbox === 0 && last.lagging === 0 && last.deviceTargets >= minDeviceTargets) return last;
      await sleep(200);
    }
    throw new Error(`pipeline did not converge within ${timeoutMs} ms: ${JSON.stringify(last)}`);
  }

  async firstError(): Promise<string> {
    const row = (
      await this.db.query(
        `select target_key, last_error from render_targets where tenant_id = $1 and state = 'failed' limit 1`,
        [this.tenantId],
      )
    ).rows[0] as { target_key: string; last_error: string } | undefined;
    return row ? `${row.target_key}: ${row.last_error}` : 'none';
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query(sql, params)).rows as T[];
  }

  async close(): Promise<void> {
    await this.db.end();
  }
}

/** The phonebook's served variants: one file per format target (`<format>.xml`, else its first file), as paths under the phone URL. */
export async function phonebookVariantPaths(
  watch: PipelineWatch,
  phonebookId: string,
): Promise<{ format: string; path: string }[]> {
  const rows = await watch.query<{ format: string; serve_path: string }>(
    `select distinct on (t.id) t.format, a.serve_path
       from render_targets t join artifacts a on a.target_id = t.id
      where t.kind = 'phonebook' and t.ref_id = $1
      order by t.id, (a.serve_path like '%/' || t.format || '.xml') desc, a.serve_path`,
    [phonebookId],
  );
  return rows.map((row) => ({ format: row.format, path: `/${row.serve_path}` }));
}
