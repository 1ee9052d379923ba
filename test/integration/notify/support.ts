import { createHash, randomUUID } from 'node:crypto';
import type { Worker } from 'bullmq';
import { deviceTarget } from '#src/modules/pipeline/fanout.types.js';
import { createRelay, renderHandlers } from '#src/modules/pipeline/pipeline.js';
import { defaultFanoutRegistry } from '#src/modules/pipeline/resolvers/resolvers.js';
import { enqueueRenders } from '#src/modules/pipeline/render-jobs.js';
import type { RendererRegistry } from '#src/modules/pipeline/renderer.registry.js';
import { bumpTargets } from '#src/modules/pipeline/targets.js';
import { deviceHashChangedHook, notifyWorker, type NotifyWorker } from '#src/modules/notify/notify.worker.js';
import { startWorkers } from '#src/queues/worker-host.js';
import type { TestContext } from '../../helpers/context.js';

export const sql = <T = Record<string, unknown>>(ctx: TestContext, query: string, params: unknown[] = []) =>
  ctx.deps.orm.em.getConnection().execute<T[]>(query, params);

/**
 * A stand-in device renderer: one file per device whose bytes follow the device's model, so a
 * test changes a device's hash by changing its model and re-renders identical bytes otherwise.
 * The relay also bumps the tenant's phonebook and directory targets; they render to no files here
 * (these tests look at device files only), rather than failing and retrying in the render queue.
 */
export function deviceRenderers(): RendererRegistry {
  const nothing = async () => ({ files: [], warnings: [] });
  return {
    phonebook: nothing,
    directory: nothing,
    device: async (em, target) => {
      const [device] = await em
        .getConnection()
        .execute<{ mac: string; model: string | null }[]>(`select mac, model from devices where id = ?`, [
          target.refId,
        ]);
      const body = Buffer.from(`mac=${device!.mac}\nmodel=${device!.model ?? ''}\n`);
      return {
        files: [
          {
            servePath: `${device!.mac}/${device!.mac}.cfg`,
            contentType: 'text/plain',
            body,
            sha256: createHash('sha256').update(body).digest('hex'),
            carriesSecrets: false,
          },
        ],
        warnings: [],
      };
    },
  };
}

/** Render and notify workers as the worker process runs them, with the test renderer. */
export function startNotifyWorkers(ctx: TestContext): {
  workers: Worker[];
  notify: NotifyWorker;
  close: () => Promise<void>;
} {
  const notify = notifyWorker(ctx.deps);
  const workers = startWorkers(
    {
      render: renderHandlers(ctx.deps, deviceRenderers(), { onDeviceHashChanged: deviceHashChangedHook(ctx.deps) }),
      notify: notify.handlers,
    },
    { connection: ctx.deps.workerRedis, prefix: ctx.config.queuePrefix, concurrency: 8, logger: ctx.deps.logger },
  );
  return {
    workers,
    notify,
    close: async () => {
      await Promise.all(workers.map((worker) => worker.close()));
      await notify.close();
    },
  };
}

let macCounter = 0x200000;
export function nextMac(): string {
  macCounter += 1;
  return `0015bb${macCounter.toString(16).padStart(6, '0')}`;
}

export interface SeedDevice {
  vendor?: string;
  model?: string;
  sipContact?: string;
  lastSeenIp?: string;
  status?: string;
}

export async function seedDevice(
  ctx: TestContext,
  tenantId: string,
  options: SeedDevice = {},
): Promise<{ id: string; mac: string }> {
  const id = randomUUID();
  const mac = nextMac();
  const overrides = options.sipContact ? { sipContact: options.sipContact } : {};
  await sql(
    ctx,
    `insert into devices (id, tenant_id, mac, vendor, model, status, overrides, provisioning_secret) values (?, ?, ?, ?, ?, ?, ?::jsonb, 'secret-for-tests-only')`,
    [
      id,
      tenantId,
      mac,
      options.vendor ?? 'yealink',
      options.model ?? 'T46S',
      options.status ?? 'active',
      JSON.stringify(overrides),
    ],
  );
  if (options.lastSeenIp) {
    await sql(ctx, `insert into device_last_seen (device_id, tenant_id, seen_at, ip) values (?, ?, now(), ?)`, [
      id,
      tenantId,
      options.lastSeenIp,
    ]);
  }
  return { id, mac };
}

/**
 * Runs the real relay (real fan-out) over every captured change until the outbox is empty, as the
 * relay worker does in production: the raw-SQL seeds here are captured like any write, and a device
 * is not in sync while a change of its tenant waits in the outbox (sync-state.sql.ts).
 */
export async function relayCapturedChanges(ctx: TestContext): Promise<void> {
  const relay = createRelay(ctx.deps, defaultFanoutRegistry(), { batchSize: 500, pollMs: 1000 });
  while ((await relay.drainOnce()) > 0);
}

/**
 * What the change pipeline does for a changed device: relay the captured changes, then bump the
 * target of each given device the relay did not bump (as a resync or the sweeper re-renders even
 * when nothing was captured), so one call moves each device's generation by exactly one.
 */
export async function bumpDevices(ctx: TestContext, tenantId: string, deviceIds: string[]): Promise<void> {
  const keys = deviceIds.map((id) => `device:${id}`);
  const generations = async () =>
    new Map(
      (
        await ctx.deps.orm.em
          .getKnex()
          .raw(
            `select target_key, desired_gen::text as desired_gen from render_targets where target_key = any(?::text[])`,
            [keys],
          )
      ).rows.map((row: { target_key: string; desired_gen: string }) => [row.target_key, row.desired_gen]),
    );
  const before = await generations();
  await relayCapturedChanges(ctx);
  const after = await generations();
  const unbumped = deviceIds.filter((id) => after.get(`device:${id}`) === before.get(`device:${id}`));
  const knex = ctx.deps.orm.em.getKnex();
  const bumped = await knex.transaction((trx) =>
    bumpTargets(
      trx,
      unbumped.map((id) => deviceTarget(tenantId, id)),
    ),
  );
  await enqueueRenders(ctx.deps.queues, bumped);
}

/** Records that the device fetched every current file of its target, as the phone server's fetch recorder does. */
export async function recordCurrentFetches(ctx: TestContext, deviceId: string): Promise<number> {
  const artifacts = await sql<{ serve_path: string; sha256: string }>(
    ctx,
    `select a.serve_path, a.sha256 from artifacts a join render_targets t on t.id = a.target_id where t.target_key = ?`,
    [`device:${deviceId}`],
  );
  for (const artifact of artifacts) {
    await sql(
      ctx,
      `insert into device_fetches (device_id, serve_path, sha256, fetched_at) values (?, ?, ?, now())
       on conflict (device_id, serve_path) do update set sha256 = excluded.sha256, fetched_at = excluded.fetched_at`,
      [deviceId, artifact.serve_path, artifact.sha256],
    );
  }
  return artifacts.length;
}

export async function syncRow(ctx: TestContext, deviceId: string) {
  const [row] = await sql<{
    state: string;
    attempts: number;
    last_outcome: string | null;
    stale_reason: string | null;
  }>(ctx, `select state, attempts, last_outcome, stale_reason from device_sync where device_id = ?`, [deviceId]);
  return row;
}
