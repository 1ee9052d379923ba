import type { Logger } from 'pino';
import type { Sql } from './sql.js';
import { safeError } from './safe-error.js';

/** One served device file, as the sync state needs it. */
export interface FetchRecord {
  deviceId: string;
  tenantId: string;
  servePath: string;
  /** Requested file name as the phone spelled it. */
  file: string;
  sha256: string;
  at: Date;
  ip: string;
  userAgent?: string;
  firmware?: string;
  model?: string;
}

export interface FetchRecorderOptions {
  flushMs?: number;
  /** Upper bound on buffered records (distinct device files); beyond it the oldest are dropped. */
  maxPending?: number;
}

const FETCHES_SQL = `
  insert into device_fetches (device_id, serve_path, sha256, fetched_at)
  select t.device_id, t.serve_path, t.sha256, t.fetched_at
    from jsonb_to_recordset(?::jsonb) as t(device_id uuid, serve_path text, sha256 text, fetched_at timestamptz)
    join devices d on d.id = t.device_id
  on conflict (device_id, serve_path) do update set sha256 = excluded.sha256, fetched_at = excluded.fetched_at
   where device_fetches.fetched_at <= excluded.fetched_at`;

const LAST_SEEN_SQL = `
  insert into device_last_seen (device_id, tenant_id, seen_at, ip, user_agent, file, served_hash, firmware, model)
  select t.device_id, d.tenant_id, t.seen_at, t.ip, t.user_agent, t.file, t.served_hash, t.firmware, t.model
    from jsonb_to_recordset(?::jsonb) as t(device_id uuid, seen_at timestamptz, ip text, user_agent text, file text, served_hash text, firmware text, model text)
    join devices d on d.id = t.device_id
  on conflict (device_id) do update set tenant_id = excluded.tenant_id, seen_at = excluded.seen_at, ip = excluded.ip,
         user_agent = excluded.user_agent, file = excluded.file, served_hash = excluded.served_hash,
         firmware = coalesce(excluded.firmware, device_last_seen.firmware), model = coalesce(excluded.model, device_last_seen.model)
   where device_last_seen.seen_at <= excluded.seen_at`;

function cut(value: string | undefined, max: number): string | null {
  return value === undefined ? null : value.slice(0, max);
}

/**
 * Buffers served-file records in memory and writes them in batches: one multi-row upsert into
 * `device_fetches` (latest hash per device file) and one into `device_last_seen` (latest fetch
 * per device, with the firmware and model the phone reported). Never a write per request, and
 * never a write to `devices` (change capture watches that table). Rows of devices deleted in the
 * meantime are skipped; a failed batch is retried with the next one.
 */
export class FetchRecorder {
  private pending = new Map<string, FetchRecord>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly flushMs: number;
  private readonly maxPending: number;

  constructor(
    private readonly sql: Sql,
    private readonly logger: Logger,
    options: FetchRecorderOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 1000;
    this.maxPending = options.maxPending ?? 200_000;
  }

  record(record: FetchRecord): void {
    const key = `${record.deviceId}/${record.servePath}`;
    this.pending.delete(key);
    if (this.pending.size >= this.maxPending) {
      const eldest = this.pending.keys().next();
      if (!eldest.done) this.pending.delete(eldest.value);
    }
    this.pending.set(key, record);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.flushMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Writes what is buffered; concurrent calls share one write. */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.pending.size === 0) return;
    this.flushing = this.write().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async write(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    const records = [...batch.values()];
    const latest = new Map<string, FetchRecord>();
    for (const record of records) {
      const seen = latest.get(record.deviceId);
      if (!seen || seen.at <= record.at) latest.set(record.deviceId, record);
    }
    try {
      await this.sql(FETCHES_SQL, [
        JSON.stringify(
          records.map((r) => ({
            device_id: r.deviceId,
            serve_path: r.servePath,
            sha256: r.sha256,
            fetched_at: r.at.toISOString(),
          })),
        ),
      ]);
      await this.sql(LAST_SEEN_SQL, [
        JSON.stringify(
          [...latest.values()].map((r) => ({
            device_id: r.deviceId,
            seen_at: r.at.toISOString(),
            ip: r.ip.slice(0, 45),
            user_agent: cut(r.userAgent, 300),
            file: cut(r.file, 200),
            served_hash: r.sha256,
            firmware: cut(r.firmware, 100),
            model: cut(r.model, 64),
          })),
        ),
      ]);
    } catch (error) {
      // Keep the records for the next attempt unless newer ones arrived meanwhile.
      for (const [key, record] of batch)
        if (!this.pending.has(key) && this.pending.size < this.maxPending) this.pending.set(key, record);
      this.logger.warn(
        { err: safeError(error), records: batch.size },
        'fetch records not written; retrying with the next batch',
      );
    }
  }
}
