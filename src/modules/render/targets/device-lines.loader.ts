import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '../../contacts/sql-rows.js';
import type { LineInput } from '../device/index.js';

export interface LineRow {
  line_index: number;
  label: string | null;
  phonemap_group_id: string | null;
  phonemap_name: string | null;
  account_id: string | null;
  sip_username: string | null;
  sip_password: string | null;
  display_name: string | null;
  enabled: boolean | null;
}

export interface DeviceLines {
  lines: LineInput[];
  /** Accounts provisioned on the device (PhoneMap lines: the active member's), for phonebook visibility. */
  accountIds: string[];
  /** Every credential on the lines, so an error message can be scrubbed of them. */
  secrets: string[];
  warnings: string[];
  /** The enabled account on line 1: the phone's user for the contacts app. */
  lineOneAccountId?: string;
}

/*
 * One row per line key. A PhoneMap-bound line takes the account of the group's active member
 * (the partial unique index allows at most one); an empty PhoneMap group leaves the line unassigned.
 */
const LINES_SQL = `
  select l.line_index, l.label, l.phonemap_group_id, pm.name as phonemap_name,
         a.id as account_id, a.sip_username, a.sip_password, a.display_name, a.enabled
    from device_lines l
    left join phonemap_groups pm on pm.id = l.phonemap_group_id
    left join phonemap_members m on m.phonemap_group_id = pm.id and m.active
    left join accounts a on a.id = coalesce(l.account_id, m.account_id)
   where l.device_id = ?
   order by l.line_index`;

/**
 * The device's lines as the renderer wants them. Unbound lines are left out (the renderer clears
 * their slots); a disabled account renders as a disabled line, so its password leaves the phone.
 * The label defaults to the PhoneMap group's name for a mapped line (the key stands for the
 * mapping, whoever is active) and to the account's display name otherwise.
 */
export async function loadDeviceLines(em: EntityManager, deviceId: string): Promise<DeviceLines> {
  return deviceLinesFromRows(await sqlRows<LineRow>(em, LINES_SQL, [deviceId]));
}

/** The line rows of one device, in line order, as the renderer wants them (shared with the batch loader). */
export function deviceLinesFromRows(rows: readonly LineRow[]): DeviceLines {
  const result: DeviceLines = { lines: [], accountIds: [], secrets: [], warnings: [] };
  for (const row of rows) {
    if (row.account_id === null) {
      if (row.phonemap_group_id !== null)
        result.warnings.push(
          `line ${row.line_index}: PhoneMap group "${row.phonemap_name ?? ''}" has no active member; line left unassigned`,
        );
      continue;
    }
    const password = row.sip_password ?? '';
    result.secrets.push(password);
    if (row.enabled) result.accountIds.push(row.account_id);
    // The phone's user (contacts app): the enabled account on line 1.
    if (row.enabled && row.line_index === 1) result.lineOneAccountId = row.account_id;
    result.lines.push({
      index: row.line_index,
      label: row.label ?? (row.phonemap_group_id !== null ? (row.phonemap_name ?? '') : (row.display_name ?? '')),
      displayName: row.display_name ?? '',
      username: row.sip_username ?? '',
      authName: row.sip_username ?? '',
      password,
      enabled: row.enabled === true,
    });
  }
  return result;
}

/** Just the provisioned account ids (no credentials), for the files API. */
export async function provisionedAccountIds(em: EntityManager, deviceId: string): Promise<string[]> {
  const rows = await sqlRows<{ account_id: string }>(
    em,
    `select a.id as account_id
       from device_lines l
       left join phonemap_members m on m.phonemap_group_id = l.phonemap_group_id and m.active
       join accounts a on a.id = coalesce(l.account_id, m.account_id)
      where l.device_id = ? and a.enabled
      order by l.line_index`,
    [deviceId],
  );
  return [...new Set(rows.map((row) => row.account_id))];
}
