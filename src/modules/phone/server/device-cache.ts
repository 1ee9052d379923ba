import { createHash } from 'node:crypto';
import type { DeviceStatus, DeviceVendor } from '../../../model/directory/device.entity.js';
import { Lru } from './lru.js';
import type { Sql } from './sql.js';

/** What the phone server needs to authenticate a device; `secret` never leaves this process. */
export interface DeviceCredentials {
  id: string;
  tenantId: string;
  mac: string;
  vendor: DeviceVendor;
  model: string | null;
  status: DeviceStatus;
  secret: string;
  /** Digest of the fields above, compared with the database's during reconciliation. */
  fingerprint: string;
}

interface DeviceRow {
  id: string;
  tenant_id: string;
  mac: string;
  vendor: DeviceVendor;
  model: string | null;
  status: DeviceStatus;
  provisioning_secret: string;
}

export interface DeviceCacheOptions {
  maxEntries?: number;
  /** How long "no such MAC" is remembered; device change hints and reconciliation clear it earlier. */
  negativeTtlMs?: number;
  maxNegatives?: number;
}

/**
 * The same digest in SQL and here, so reconciliation can compare without shipping secrets:
 * md5 over the fields joined with NUL-free separators.
 */
export const DEVICE_FINGERPRINT_SQL = `md5(d.id::text || '|' || d.tenant_id::text || '|' || d.mac || '|' || d.vendor || '|' || coalesce(d.model, '') || '|' || d.status || '|' || d.provisioning_secret)`;

function fingerprintOf(row: DeviceRow): string {
  return createHash('md5')
    .update(
      [row.id, row.tenant_id, row.mac, row.vendor, row.model ?? '', row.status, row.provisioning_secret].join('|'),
      'utf8',
    )
    .digest('hex');
}

const DEVICE_SQL = `select d.id::text as id, d.tenant_id::text as tenant_id, d.mac, d.vendor, d.model, d.status, d.provisioning_secret
  from devices d where d.mac = any(?::text[])`;

/**
 * MAC → device credentials, loaded on demand. Misses that arrive together (a boot storm) are
 * fetched with one query; unknown MACs are remembered briefly so enumeration does not turn into
 * one database query per guessed MAC.
 */
export class DeviceCache {
  private readonly lru: Lru<string, DeviceCredentials>;
  private readonly macById = new Map<string, string>();
  private negatives = new Map<string, number>();
  private queued = new Map<
    string,
    { resolve: (value: DeviceCredentials | undefined) => void; reject: (error: unknown) => void }[]
  >();
  private readonly inFlight = new Map<string, Promise<DeviceCredentials | undefined>>();
  /** Loads in flight, told about drops that happen while they run (so they do not cache stale rows). */
  private readonly trackers = new Set<{ macs: Set<string>; dropped: Set<string>; all: boolean }>();
  private scheduled = false;
  private readonly negativeTtlMs: number;
  private readonly maxNegatives: number;

  constructor(
    private readonly sql: Sql,
    options: DeviceCacheOptions = {},
  ) {
    this.lru = new Lru(options.maxEntries ?? 500_000, (mac, device) => {
      if (this.macById.get(device.id) === mac) this.macById.delete(device.id);
    });
    this.negativeTtlMs = options.negativeTtlMs ?? 30_000;
    this.maxNegatives = options.maxNegatives ?? 100_000;
  }

  /** Cached only (undefined also when merely not loaded yet): the synchronous hot path. */
  peek(mac: string): DeviceCredentials | undefined {
    return this.lru.get(mac);
  }

  get(mac: string): Promise<DeviceCredentials | undefined> {
    const hit = this.lru.get(mac);
    if (hit) return Promise.resolve(hit);
    const negativeUntil = this.negatives.get(mac);
    if (negativeUntil !== undefined) {
      if (negativeUntil > Date.now()) return Promise.resolve(undefined);
      this.negatives.delete(mac);
    }
    let pending = this.inFlight.get(mac);
    if (!pending) {
      pending = new Promise<DeviceCredentials | undefined>((resolve, reject) => {
        const waiters = this.queued.get(mac) ?? [];
        waiters.push({ resolve, reject });
        this.queued.set(mac, waiters);
      }).finally(() => this.inFlight.delete(mac));
      this.inFlight.set(mac, pending);
      this.schedule();
    }
    return pending;
  }

  dropIds(ids: Iterable<string>): void {
    const macs: string[] = [];
    for (const id of ids) {
      const mac = this.macById.get(id);
      if (mac) macs.push(mac);
    }
    this.dropMacs(macs);
    // A hint may name a device created since a MAC was remembered as unknown.
    this.clearNegatives();
  }

  dropMacs(macs: Iterable<string>): void {
    for (const mac of macs) {
      this.lru.delete(mac);
      this.negatives.delete(mac);
      for (const tracker of this.trackers) tracker.dropped.add(mac);
    }
  }

  clearNegatives(): void {
    this.negatives = new Map();
    for (const tracker of this.trackers) tracker.all = true;
  }

  /** id → fingerprint of every cached device, for reconciliation. */
  cachedFingerprints(): Map<string, string> {
    const result = new Map<string, string>();
    for (const device of this.lru.values()) result.set(device.id, device.fingerprint);
    return result;
  }

  macOf(id: string): string | undefined {
    return this.macById.get(id);
  }

  get size(): number {
    return this.lru.size;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queued;
    this.queued = new Map();
    if (batch.size === 0) return;
    const tracker = { macs: new Set(batch.keys()), dropped: new Set<string>(), all: false };
    this.trackers.add(tracker);
    try {
      const rows = await this.sql<DeviceRow>(DEVICE_SQL, [[...batch.keys()]]);
      const found = new Map(rows.map((row) => [row.mac, row]));
      for (const [mac, waiters] of batch) {
        const row = found.get(mac);
        const device = row ? this.remember(row, !tracker.dropped.has(mac)) : undefined;
        if (!row && !tracker.dropped.has(mac) && !tracker.all) this.rememberUnknown(mac);
        for (const waiter of waiters) waiter.resolve(device);
      }
    } catch (error) {
      for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
    } finally {
      this.trackers.delete(tracker);
    }
  }

  private remember(row: DeviceRow, keep: boolean): DeviceCredentials {
    const device: DeviceCredentials = {
      id: row.id,
      tenantId: row.tenant_id,
      mac: row.mac,
      vendor: row.vendor,
      model: row.model,
      status: row.status,
      secret: row.provisioning_secret,
      fingerprint: fingerprintOf(row),
    };
    if (keep) {
      this.lru.set(row.mac, device);
      this.macById.set(row.id, row.mac);
    }
    return device;
  }

  private rememberUnknown(mac: string): void {
    if (this.negatives.size >= this.maxNegatives) this.negatives = new Map();
    this.negatives.set(mac, Date.now() + this.negativeTtlMs);
  }
}
