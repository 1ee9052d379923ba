import type { Knex } from '@mikro-orm/postgresql';
import type { CosLevel } from '../../../model/directory/class-of-service.entity.js';
import type { DeviceStatus, DeviceVendor } from '../../../model/directory/device.entity.js';
import type { ClassOfServiceSource, DeviceSettingsSources, ProfileSource } from '../../settings/effective-settings.js';
import type { DeviceOverrideValues, ProfileSettingsValues, RawKeysValues } from '../../settings/settings.schema.js';
import { deviceLinesFromRows, type DeviceLines, type LineRow } from './device-lines.loader.js';
import { INTERNAL_DIRECTORY_TITLE, type VisiblePhonebook } from './device-phonebooks.js';
import { contactsAppFor } from '../../phone-app/app-render.js';

/** Everything one device's render needs, read in the batch's snapshot. */
export interface DeviceRenderInput {
  device: { id: string; vendor: DeviceVendor; model: string | null; mac: string };
  defaultCountry: string | null;
  /** The line-1 user may view company contacts and the family runs the contacts app: render its key. */
  contactsApp: boolean;
  lines: DeviceLines;
  sources: DeviceSettingsSources;
  books: VisiblePhonebook[];
}

export interface DeviceBatchTarget {
  id: string;
  tenantId: string;
  refId: string;
}

interface DeviceRow {
  id: string;
  tenant_id: string;
  status: DeviceStatus;
  vendor: DeviceVendor;
  model: string | null;
  mac: string;
  profile_id: string | null;
  overrides: DeviceOverrideValues | null;
}

interface TenantRow {
  id: string;
  default_country: string | null;
  directory_token: string;
  default_profile_id: string | null;
}

interface BatchLineRow extends LineRow {
  device_id: string;
  phonemap_cos_id: string | null;
  home_group_id: string | null;
  account_tenant_id: string | null;
}

interface GroupRow {
  id: string;
  profile_id: string | null;
  class_of_service_id: string | null;
}

interface CosRow {
  id: string;
  name: string;
  level: CosLevel;
  blocked_prefixes: string[];
  allowed_prefixes: string[];
}

interface ProfileRow {
  id: string;
  settings: ProfileSettingsValues;
  raw_keys: RawKeysValues;
}

interface PhonebookRow {
  id: string;
  tenant_id: string;
  name: string;
  token: string;
  visibility: 'all' | 'groups';
  group_ids: string[];
}

interface MembershipRow {
  account_id: string;
  group_id: string;
  tenant_id: string;
}

/*
 * The same rows as the single-device path (device-lines.loader, settings-sources,
 * device-phonebooks), for a whole batch: one statement per table, whatever the batch size.
 * A line bound to a PhoneMap group takes the account of its active member; that account's home
 * group is the settings "group" when the line is the device's first bound one. The account is
 * joined laterally: a join on the coalesce() would hash the whole accounts table per batch.
 */
const LINES_SQL = `
  select l.device_id, l.line_index, l.label, l.phonemap_group_id, pm.name as phonemap_name, pm.class_of_service_id as phonemap_cos_id,
         a.id as account_id, a.sip_username, a.sip_password, a.display_name, a.enabled, a.home_group_id, a.tenant_id as account_tenant_id
    from device_lines l
    left join phonemap_groups pm on pm.id = l.phonemap_group_id
    left join phonemap_members m on m.phonemap_group_id = pm.id and m.active
    left join lateral (select * from accounts where id = coalesce(l.account_id, m.account_id)) a on true
   where l.device_id = any(?::uuid[])
   order by l.device_id, l.line_index`;

/*
 * Postgres sorts the names (its collation, as the single-device query does), so the slot order
 * of the phonebooks is the same on both paths.
 */
const PHONEBOOKS_SQL = `
  select p.id, p.tenant_id, p.name, p.token, p.visibility,
         coalesce((select array_agg(pg.group_id) from phonebook_groups pg where pg.phonebook_id = p.id), '{}') as group_ids
    from phonebooks p
   where p.tenant_id = any(?::uuid[])
   order by p.tenant_id, p.is_default desc, p.name, p.id`;

async function rows<T>(trx: Knex.Transaction, sql: string, params: unknown[]): Promise<T[]> {
  return ((await trx.raw(sql, params)) as { rows: T[] }).rows;
}

const unique = <T>(values: Iterable<T | null | undefined>): T[] => [
  ...new Set([...values].filter((value): value is T => value !== null && value !== undefined)),
];

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const item of items) {
    const list = grouped.get(key(item));
    if (list) list.push(item);
    else grouped.set(key(item), [item]);
  }
  return grouped;
}

function cosSource(row: CosRow | undefined): ClassOfServiceSource | null {
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    level: row.level,
    blockedPrefixes: [...(row.blocked_prefixes ?? [])],
    allowedPrefixes: [...(row.allowed_prefixes ?? [])],
  };
}

/**
 * Reads every device of the batch, with its tenant, lines, settings sources and visible
 * phonebooks, in one read-only REPEATABLE READ snapshot and a fixed number of statements. By
 * target id; null: the target renders nothing (device gone, not active, or of another tenant).
 * Every credential read goes into `secrets` as soon as it is read, so that an error failing the
 * whole batch can still be scrubbed of them.
 */
export async function loadDeviceBatch(
  knex: Knex,
  targets: readonly DeviceBatchTarget[],
  platform: DeviceOverrideValues,
  secrets: string[],
): Promise<Map<string, DeviceRenderInput | null>> {
  return knex.transaction(
    async (trx) => {
      const devices = await rows<DeviceRow>(
        trx,
        `select id, tenant_id, status, vendor, model, mac, profile_id, overrides from devices where id = any(?::uuid[])`,
        [unique(targets.map((target) => target.refId))],
      );
      const deviceById = new Map(devices.map((device) => [device.id, device]));
      // Pending and disabled devices get nothing: the phone server answers them as an unknown device.
      const wanted = new Map<string, DeviceRow>();
      for (const target of targets) {
        const device = deviceById.get(target.refId);
        if (device && device.tenant_id === target.tenantId && device.status === 'active') wanted.set(target.id, device);
      }
      const result = new Map<string, DeviceRenderInput | null>(targets.map((target) => [target.id, null]));
      if (wanted.size === 0) return result;

      const activeDevices = [...new Map([...wanted.values()].map((device) => [device.id, device])).values()];
      const tenantIds = unique(activeDevices.map((device) => device.tenant_id));
      const tenants = new Map(
        (
          await rows<TenantRow>(
            trx,
            `select id, default_country, directory_token, default_profile_id from tenants where id = any(?::uuid[])`,
            [tenantIds],
          )
        ).map((row) => [row.id, row]),
      );
      const lineRows = await rows<BatchLineRow>(trx, LINES_SQL, [activeDevices.map((device) => device.id)]);
      for (const row of lineRows) if (row.sip_password) secrets.push(row.sip_password);
      const linesByDevice = groupBy(lineRows, (row) => row.device_id);

      // The settings "group": home group of the account on the first bound line (lowest index).
      const firstBound = new Map<string, BatchLineRow>();
      for (const [deviceId, deviceLines] of linesByDevice) {
        const bound = deviceLines.find((row) => row.account_id !== null || row.phonemap_group_id !== null);
        if (bound) firstBound.set(deviceId, bound);
      }
      const groupIds = unique([...firstBound.values()].map((row) => row.home_group_id));
      const groups = new Map(
        (
          await rows<GroupRow>(
            trx,
            `select id, profile_id, class_of_service_id from groups where id = any(?::uuid[])`,
            [groupIds],
          )
        ).map((row) => [row.id, row]),
      );
      const cosIds = unique([
        ...[...groups.values()].map((group) => group.class_of_service_id),
        ...[...firstBound.values()].map((row) => (row.phonemap_group_id ? row.phonemap_cos_id : null)),
      ]);
      const profileIds = unique([
        ...[...tenants.values()].map((tenant) => tenant.default_profile_id),
        ...activeDevices.map((device) => device.profile_id),
        ...[...groups.values()].map((group) => group.profile_id),
      ]);
      const accountIds = unique(lineRows.filter((row) => row.enabled).map((row) => row.account_id));
      const [cosRows, profileRows, phonebookRows, membershipRows] = [
        await rows<CosRow>(
          trx,
          `select id, name, level, blocked_prefixes, allowed_prefixes from classes_of_service where id = any(?::uuid[])`,
          [cosIds],
        ),
        await rows<ProfileRow>(trx, `select id, settings, raw_keys from profiles where id = any(?::uuid[])`, [
          profileIds,
        ]),
        await rows<PhonebookRow>(trx, PHONEBOOKS_SQL, [tenantIds]),
        await rows<MembershipRow>(
          trx,
          `select account_id, group_id, tenant_id from group_members where account_id = any(?::uuid[])`,
          [accountIds],
        ),
      ];
      for (const value of [
        ...profileRows.map((row) => row.settings),
        ...activeDevices.map((device) => device.overrides),
      ]) {
        if (typeof value?.adminPassword === 'string') secrets.push(value.adminPassword);
      }
      const cosById = new Map(cosRows.map((row) => [row.id, row]));
      const profiles = new Map(
        profileRows.map((row) => [
          row.id,
          { id: row.id, settings: row.settings, rawKeys: row.raw_keys } satisfies ProfileSource,
        ]),
      );
      const profileOf = (id: string | null | undefined): ProfileSource | null =>
        id ? (profiles.get(id) ?? null) : null;
      const booksByTenant = groupBy(phonebookRows, (row) => row.tenant_id);
      const membershipsByAccount = groupBy(membershipRows, (row) => row.account_id);

      const wantedDevices = [...wanted.values()];
      const appFlags = await contactsAppFor(
        (sql, params) => rows(trx, sql, params),
        wantedDevices.map((device) => ({
          vendor: device.vendor,
          lineOneAccountId: (linesByDevice.get(device.id) ?? []).find(
            (row) => row.line_index === 1 && row.enabled && row.account_id !== null,
          )?.account_id,
        })),
      );
      const appOf = new Map(wantedDevices.map((device, i) => [device, appFlags[i]!]));

      for (const [targetId, device] of wanted) {
        const tenant = tenants.get(device.tenant_id);
        if (!tenant) throw new Error(`tenant ${device.tenant_id} of device ${device.id} not found`);
        const deviceLineRows = linesByDevice.get(device.id) ?? [];
        const lines = deviceLinesFromRows(deviceLineRows);

        const bound = firstBound.get(device.id);
        const group = bound?.home_group_id ? groups.get(bound.home_group_id) : undefined;
        const sources: DeviceSettingsSources = {
          platform,
          tenant: { id: tenant.id, defaultProfile: profileOf(tenant.default_profile_id) },
          device: {
            id: device.id,
            vendor: device.vendor,
            model: device.model ?? null,
            profile: profileOf(device.profile_id),
            overrides: (device.overrides ?? {}) as DeviceOverrideValues,
          },
          group: group
            ? {
                id: group.id,
                profile: profileOf(group.profile_id),
                classOfService: cosSource(cosById.get(group.class_of_service_id ?? '')),
              }
            : null,
          phonemapGroup: bound?.phonemap_group_id
            ? { id: bound.phonemap_group_id, classOfService: cosSource(cosById.get(bound.phonemap_cos_id ?? ''))! }
            : null,
        };

        // Groups of the enabled accounts on the device, within the device's tenant: home groups and extra memberships.
        const deviceGroups = new Set<string>();
        for (const row of deviceLineRows) {
          if (!row.enabled || row.account_id === null) continue;
          if (row.home_group_id && row.account_tenant_id === tenant.id) deviceGroups.add(row.home_group_id);
          for (const membership of membershipsByAccount.get(row.account_id) ?? [])
            if (membership.tenant_id === tenant.id) deviceGroups.add(membership.group_id);
        }
        const visible = (booksByTenant.get(tenant.id) ?? []).filter(
          (book) => book.visibility === 'all' || book.group_ids.some((groupId) => deviceGroups.has(groupId)),
        );
        const books: VisiblePhonebook[] = [
          { kind: 'directory', id: tenant.id, name: INTERNAL_DIRECTORY_TITLE, token: tenant.directory_token },
          ...visible.map((book) => ({ kind: 'phonebook' as const, id: book.id, name: book.name, token: book.token })),
        ];
        result.set(targetId, {
          device: { id: device.id, vendor: device.vendor, model: device.model, mac: device.mac },
          defaultCountry: tenant.default_country,
          lines,
          sources,
          books,
          contactsApp: appOf.get(device)!,
        });
      }
      return result;
    },
    { isolationLevel: 'repeatable read', readOnly: true },
  );
}
