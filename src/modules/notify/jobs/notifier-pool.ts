import type { Logger } from 'pino';
import type { Config } from '../../../config/config.js';
import { createNotifier, type Notifier, type NotifierDriverConfig } from '../notifier.js';
import { driverConfigFor, type StoredNotifierSettings } from '../settings/notifier-driver-config.js';

export type NotifierFactory = (config: NotifierDriverConfig, deps: { logger?: Logger }) => Notifier;

/**
 * One notifier per tenant, kept while the tenant's settings stay the same: the AMI and ESL drivers
 * hold a logged-in TCP session and the SIP driver its socket, which are too costly to open per
 * NOTIFY. A settings change (new version) closes the old driver and builds a new one.
 */
export class NotifierPool {
  private readonly entries = new Map<string, { version: string; notifier: Notifier }>();
  private closed = false;

  constructor(
    private readonly config: Pick<Config, 'notifySipT1Ms'>,
    private readonly logger: Logger,
    private readonly factory: NotifierFactory = createNotifier,
  ) {}

  get(tenantId: string, settings: StoredNotifierSettings | null): Notifier {
    if (this.closed) throw new Error('notifier pool closed');
    const version = settings?.version ?? 'none';
    const entry = this.entries.get(tenantId);
    if (entry?.version === version) return entry.notifier;
    if (entry) void entry.notifier.close().catch(() => undefined);
    const notifier = this.factory(driverConfigFor(settings, this.config), {
      logger: this.logger.child({ component: 'notifier', tenantId }),
    });
    this.entries.set(tenantId, { version, notifier });
    return notifier;
  }

  get size(): number {
    return this.entries.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    const notifiers = [...this.entries.values()].map((entry) => entry.notifier);
    this.entries.clear();
    await Promise.all(notifiers.map((notifier) => notifier.close().catch(() => undefined)));
  }
}
