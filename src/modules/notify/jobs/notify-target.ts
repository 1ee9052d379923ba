import type { EntityManager, Knex, MikroORM } from '@mikro-orm/postgresql';
import { publicPhoneUrl, type Config } from '../../../config/config.js';
import { Device } from '../../../model/directory/device.entity.js';
import { effectiveSettings } from '../../settings/effective-settings.js';
import { platformDefaults } from '../../settings/platform-defaults.js';
import { loadDeviceSettingsSources } from '../../settings/settings-sources.js';
import type { NotifyTarget } from '../notifier.js';
import type { ResyncEventOverrides, ResyncVendor } from '../resync-events.js';
import type { StoredNotifierSettings } from '../settings/notifier-driver-config.js';

export interface NotifyDevice {
  id: string;
  tenantId: string;
  vendor: ResyncVendor;
  mac: string;
  status: string;
  sipContact: string | null;
  lastSeenIp: string | null;
  /** SIP user of the lowest bound line (a PhoneMap-bound line: its active member's account). */
  sipUser: string | null;
  lastOutcome: string | null;
}

export async function loadNotifyDevice(knex: Knex, deviceId: string): Promise<NotifyDevice | undefined> {
  const result = await knex.raw(
    `select d.id, d.tenant_id, d.vendor, d.mac, d.status, d.overrides->>'sipContact' as sip_contact, ls.ip as last_seen_ip, s.last_outcome,
            (select coalesce(a.sip_username, pa.sip_username)
               from device_lines l
               left join accounts a on a.id = l.account_id
               left join phonemap_members pm on pm.phonemap_group_id = l.phonemap_group_id and pm.active
               left join accounts pa on pa.id = pm.account_id
              where l.device_id = d.id and coalesce(a.id, pa.id) is not null
              order by l.line_index limit 1) as sip_user
       from devices d
       left join device_last_seen ls on ls.device_id = d.id
       left join device_sync s on s.device_id = d.id
      where d.id = ?`,
    [deviceId],
  );
  const row = result.rows[0] as Record<string, string | null> | undefined;
  if (!row) return undefined;
  return {
    id: row.id!,
    tenantId: row.tenant_id!,
    vendor: row.vendor as ResyncVendor,
    mac: row.mac!,
    status: row.status!,
    sipContact: row.sip_contact ?? null,
    lastSeenIp: row.last_seen_ip ?? null,
    sipUser: row.sip_user ?? null,
    lastOutcome: row.last_outcome ?? null,
  };
}

/**
 * Where and how to reach the phone. There is no registrar integration: the `sip` driver uses the
 * device's `sipContact` override, else its last-seen address on the SIP port 5060; the PBX drivers
 * address the SIP user (Asterisk endpoint, FreeSWITCH user@domain) and let the PBX find the
 * registration. The profile's `resyncEvents` for the vendor come with it.
 */
export async function notifyTargetFor(
  orm: MikroORM,
  config: Config,
  device: NotifyDevice,
  settings: StoredNotifierSettings,
): Promise<{ target: NotifyTarget; overrides?: ResyncEventOverrides }> {
  const em = orm.em.fork() as EntityManager;
  const entity = await em.findOneOrFail(Device, { id: device.id });
  const effective = effectiveSettings(
    await loadDeviceSettingsSources(em, entity, platformDefaults(publicPhoneUrl(config))),
  );
  const values = effective.settings as Record<string, { value: unknown } | undefined>;
  const resyncEvents = values.resyncEvents?.value as Partial<Record<ResyncVendor, ResyncEventOverrides>> | undefined;
  const sipServer = typeof values.sipServer?.value === 'string' ? values.sipServer.value : undefined;
  const configuredDomain = typeof settings.options.domain === 'string' ? settings.options.domain : undefined;

  const target: NotifyTarget = { vendor: device.vendor, mac: device.mac };
  if (device.sipContact) target.contactUri = device.sipContact;
  if (device.lastSeenIp) target.lastSeenIp = device.lastSeenIp;
  if (device.sipUser) target.sipUser = device.sipUser;
  const domain = configuredDomain ?? sipServer;
  if (domain) target.domain = domain;
  return { target, overrides: resyncEvents?.[device.vendor] };
}
