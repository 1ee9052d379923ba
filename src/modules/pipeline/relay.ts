import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Queues } from '../../queues/queues.js';
import { backfillTargets } from './backfill.js';
import { OUTBOX_CHANNEL } from './capture.sql.js';
import type { FanoutRegistry } from './fanout.registry.js';
import { collectKeys, type OutboxRow } from './fanout.types.js';
import { readOutbox, type PipelineMetrics } from './pipeline.metrics.js';
import { enqueueRenders } from './render-jobs.js';
import { bumpTargets, removeTargets } from './targets.js';
import type { ArtifactEvents } from './artifact-events.js';

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>(
        (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)),
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RelayOptions {
  batchSize: number;
  pollMs: number;
}

/**
 * Moves captured changes into render work. Each batch, in one transaction: claim outbox rows
 * (FOR UPDATE SKIP LOCKED, so several relays share the work), resolve fan-out, bump desired
 * generations, enqueue render jobs, delete the rows. If Redis refuses the jobs the transaction
 * rolls back and the rows wait for the next attempt: nothing is lost.
 */
export class OutboxRelay {
  private listener?: pg.Client;
  private timer?: NodeJS.Timeout;
  private running = false;
  private wake?: () => void;
  private loop?: Promise<void>;

  constructor(
    private readonly orm: MikroORM,
    private readonly databaseUrl: string,
    private readonly queues: Queues,
    private readonly fanout: FanoutRegistry,
    private readonly events: ArtifactEvents,
    private readonly logger: Logger,
    private readonly metrics: PipelineMetrics,
    private readonly options: RelayOptions = { batchSize: 500, pollMs: 1000 },
  ) {}

  /** Processes one batch; returns how many outbox rows it consumed. */
  async drainOnce(): Promise<number> {
    const knex = this.orm.em.getKnex();
    let consumed = 0;
    let removedIds: string[] = [];
    let changedDevices: string[] = [];
    await knex.transaction(async (trx) => {
      const claimed = await trx.raw(
        `select id, tenant_id, table_name, op, keys from change_outbox order by id limit ? for update skip locked`,
        [this.options.batchSize],
      );
      const rows = (claimed.rows as OutboxRow[]).map((row) => ({ ...row, id: String(row.id) }));
      if (rows.length === 0) return;
      const { bump, remove } = await this.fanout.resolve(trx, rows);
      removedIds = await removeTargets(trx, remove);
      const bumped = await bumpTargets(trx, bump);
      // Bounded: a Redis that hangs instead of refusing must not hold the claimed rows' locks forever.
      await withTimeout(enqueueRenders(this.queues, bumped), 5000, 'enqueue render jobs');
      await trx.raw(`delete from change_outbox where id = any(?::bigint[])`, [rows.map((row) => row.id)]);
      consumed = rows.length;
      changedDevices = collectKeys(
        rows.filter((row) => row.table_name === 'devices'),
        'id',
      );
      this.metrics.relayedChanges.inc(rows.length);
      this.metrics.bumpedTargets.inc(bumped.length);
    });
    if (removedIds.length) await this.events.publishChanged(removedIds).catch(() => undefined);
    if (changedDevices.length) await this.events.publishDevicesChanged(changedDevices).catch(() => undefined);
    return consumed;
  }

  async start(): Promise<void> {
    this.running = true;
    const created = await backfillTargets(this.orm.em.getKnex()).catch((error: Error) => {
      this.logger.warn({ err: { message: error.message } }, 'target backfill failed; the next start retries');
      return 0;
    });
    if (created) this.logger.info({ created }, 'created missing render targets');
    await this.listen().catch((error: Error) =>
      this.logger.warn({ err: { message: error.message } }, 'relay LISTEN unavailable; polling only'),
    );
    this.loop = this.run();
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('error', () => {
      this.listener = undefined;
      if (this.running) setTimeout(() => void this.listen().catch(() => undefined), 1000);
    });
    await client.connect();
    await client.query(`listen ${OUTBOX_CHANNEL}`);
    client.on('notification', () => this.wake?.());
    this.listener = client;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let consumed = 0;
      try {
        consumed = await this.drainOnce();
        await this.updateLag();
      } catch (error) {
        this.metrics.relayErrors.inc();
        this.logger.warn({ err: { message: (error as Error).message } }, 'relay batch failed; rows kept for retry');
      }
      if (consumed < this.options.batchSize && this.running) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.timer = setTimeout(resolve, this.options.pollMs);
        });
        this.wake = undefined;
        clearTimeout(this.timer);
      }
    }
  }

  private async updateLag(): Promise<void> {
    const row = await readOutbox(this.orm);
    this.metrics.outboxDepth.set(row.depth);
    this.metrics.outboxLagSeconds.set(row.lagSeconds);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await withTimeout(this.loop ?? Promise.resolve(), 10000, 'relay stop').catch((error: Error) =>
      this.logger.warn({ err: { message: error.message } }, 'relay stop timed out'),
    );
    await this.listener?.end().catch(() => undefined);
  }
}
