import type { Knex } from '@mikro-orm/postgresql';
import type { Config } from '../../../config/config.js';
import type { NotifierDriverConfig } from '../notifier.js';
import type { NotifierDriverName, NotifierOptions } from './notifier-settings.entity.js';

/** A tenant's settings as the notify worker needs them, credential included (never logged, never returned). */
export interface StoredNotifierSettings {
  driver: NotifierDriverName;
  options: NotifierOptions;
  secret: string | null;
  ratePerSecond: number | null;
  /** Changes whenever the settings do: the notifier pool rebuilds a tenant's driver when it moves. */
  version: string;
}

export async function loadStoredNotifierSettings(knex: Knex, tenantId: string): Promise<StoredNotifierSettings | null> {
  const result = await knex.raw(
    `select driver, options, secret, rate_per_second, updated_at from tenant_notifier_settings where tenant_id = ?`,
    [tenantId],
  );
  const row = result.rows[0] as
    | {
        driver: NotifierDriverName;
        options: NotifierOptions;
        secret: string | null;
        rate_per_second: number | null;
        updated_at: Date | string;
      }
    | undefined;
  if (!row) return null;
  return {
    driver: row.driver,
    options: row.options ?? {},
    secret: row.secret,
    ratePerSecond: row.rate_per_second,
    version: `${row.driver}@${new Date(row.updated_at).toISOString()}`,
  };
}

export function ratePerSecondOf(
  settings: Pick<StoredNotifierSettings, 'ratePerSecond'> | null,
  config: Pick<Config, 'notifyRatePerSecond'>,
): number {
  return settings?.ratePerSecond ?? config.notifyRatePerSecond;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const int = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const host = (value: unknown): string => (text(value) ?? '').replace(/^\[(.*)\]$/, '$1');

/** The driver configuration for createNotifier; protocol timers come from the platform config. */
export function driverConfigFor(
  settings: StoredNotifierSettings | null,
  config: Pick<Config, 'notifySipT1Ms'>,
): NotifierDriverConfig {
  const options = settings?.options ?? {};
  switch (settings?.driver ?? 'none') {
    case 'sip':
      return {
        driver: 'sip',
        transport: options.transport === 'tcp' ? 'tcp' : 'udp',
        fromDomain: text(options.fromDomain),
        fromUser: text(options.fromUser),
        userAgent: 'phone-provisiond',
        t1Ms: config.notifySipT1Ms,
      };
    case 'asterisk-ami':
      return {
        driver: 'asterisk-ami',
        host: host(options.host),
        port: int(options.port),
        username: text(options.username) ?? '',
        secret: settings?.secret ?? '',
      };
    case 'freeswitch':
      return {
        driver: 'freeswitch',
        host: host(options.host),
        port: int(options.port),
        password: settings?.secret ?? '',
        profile: text(options.profile) ?? 'internal',
        defaultDomain: text(options.domain),
      };
    default:
      return { driver: 'none' };
  }
}
