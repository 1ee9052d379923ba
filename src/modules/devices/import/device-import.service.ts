import type { EntityManager } from '@mikro-orm/postgresql';
import { toErrorResponse } from '../../../errors/error-handler.js';
import { AppError, BadRequestError, ConflictError } from '../../../errors/errors.js';
import { Account } from '../../../model/directory/account.entity.js';
import { NAME_REGEXP } from '../../../http/names.rule.js';
import { Profile } from '../../../model/directory/profile.entity.js';
import type { Tenant } from '../../../model/directory/tenant.entity.js';
import { resolveLines } from '../device-lines.js';
import {
  DEVICE_STATUSES,
  DEVICE_VENDORS,
  type DeviceStatus,
  type DeviceVendor,
} from '../../../model/directory/device.entity.js';
import type { CreateDeviceInput, LineInputType } from '../devices.schemas.js';
import { createDevice, requireMac } from '../devices.service.js';
import { canonicalMac } from '../mac.js';
import { parseDeviceCsv, type CsvDeviceRow } from './device-csv.js';
import type { DeviceImportReportType, ImportRowReportType } from './device-import.schemas.js';
import { createDevicesAtomically } from './device-import.writer.js';
import { readTogether } from '../../../db/reads.js';

const MODEL = /^[A-Za-z0-9][A-Za-z0-9 _.+-]{0,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rows created (each in its own transaction) between two clears of the import's unit of work. */
export const CLEAR_EVERY = 100;

interface PlannedRow {
  report: ImportRowReportType;
  input: CreateDeviceInput | null;
}

function rowError(field: string, code: string, message: string): BadRequestError {
  return new BadRequestError(code, message, { field });
}

/** Lookups shared by all rows, loaded once: the tenant's profiles and the accounts the file names. */
async function loadLookups(em: EntityManager, tenant: Tenant, rows: CsvDeviceRow[]) {
  const extensions = new Set<string>();
  for (const row of rows)
    for (const [name, value] of Object.entries(row.cells)) if (name.endsWith('_account')) extensions.add(value);
  const macs = [
    ...new Set(rows.map((row) => canonicalMac(row.cells.mac ?? '')).filter((mac): mac is string => mac !== undefined)),
  ];
  const [profiles, accounts, taken] = await readTogether(em, [
    () => em.find(Profile, { tenant }, { fields: ['id', 'name'] }),
    () =>
      extensions.size
        ? em.find(Account, { tenant, extension: { $in: [...extensions] } }, { fields: ['id', 'extension'] })
        : Promise.resolve([]),
    // A MAC is unique across the platform (assertMacFree), checked here for the whole file in one query.
    () =>
      macs.length
        ? em.getKnex().raw('select mac from devices where mac = any(?::text[])', [macs])
        : Promise.resolve({ rows: [] }),
  ]);
  const profileIds = new Map<string, string>();
  for (const profile of profiles) {
    profileIds.set(profile.name, profile.id);
    profileIds.set(profile.id, profile.id);
  }
  const takenMacs = new Set((taken.rows as { mac: string }[]).map((row) => row.mac));
  return { profileIds, accountIds: new Map(accounts.map((account) => [account.extension, account.id])), takenMacs };
}

function rowLines(cells: Record<string, string>, accountIds: Map<string, string>): LineInputType[] {
  const lines = new Map<number, LineInputType>();
  for (const [name, value] of Object.entries(cells)) {
    const match = /^line(\d+)_(account|phonemap|label)$/.exec(name);
    if (!match) continue;
    const index = Number(match[1]);
    const line = lines.get(index) ?? { index };
    if (match[2] === 'account') {
      const accountId = accountIds.get(value);
      if (!accountId)
        throw rowError(name, 'unknown_reference', `no account with extension ${value.slice(0, 20)} in this tenant`);
      line.accountId = accountId;
    } else if (match[2] === 'phonemap') {
      line.phonemapGroupId = value;
    } else {
      if (value.length > 64 || !NAME_REGEXP.test(value))
        throw rowError(
          name,
          'label_invalid',
          'a label has 1 to 64 characters, no leading or trailing spaces and no control characters',
        );
      line.label = value;
    }
    lines.set(index, line);
  }
  return [...lines.values()];
}

/** Checks one row completely (as creating it would), without writing. */
async function planRow(
  em: EntityManager,
  tenant: Tenant,
  row: CsvDeviceRow,
  lookups: Awaited<ReturnType<typeof loadLookups>>,
  macsInFile: Map<string, number>,
): Promise<CreateDeviceInput> {
  const { cells } = row;
  const mac = requireMac(cells.mac ?? '');
  const earlier = macsInFile.get(mac);
  if (earlier !== undefined)
    throw rowError('mac', 'mac_duplicate_in_file', `the same MAC is already on line ${earlier}`);
  macsInFile.set(mac, row.line);
  if (lookups.takenMacs.has(mac))
    throw new ConflictError('mac_taken', 'a device with this MAC is already registered', { field: 'mac' });
  const vendor = (cells.vendor ?? '').toLowerCase() as DeviceVendor;
  if (!DEVICE_VENDORS.includes(vendor))
    throw rowError('vendor', 'vendor_invalid', `vendor must be one of ${DEVICE_VENDORS.join(', ')}`);
  if (cells.model !== undefined && !MODEL.test(cells.model))
    throw rowError('model', 'model_invalid', 'the model has characters a model name does not have');
  const status = cells.status?.toLowerCase() as DeviceStatus | undefined;
  if (status !== undefined && !DEVICE_STATUSES.includes(status))
    throw rowError('status', 'status_invalid', `status must be one of ${DEVICE_STATUSES.join(', ')}`);
  let profileId: string | undefined;
  if (cells.profile !== undefined) {
    profileId =
      lookups.profileIds.get(cells.profile) ??
      (UUID.test(cells.profile) ? lookups.profileIds.get(cells.profile.toLowerCase()) : undefined);
    if (!profileId)
      throw rowError('profile', 'unknown_reference', `no profile named ${cells.profile.slice(0, 60)} in this tenant`);
  }
  const lines = rowLines(cells, lookups.accountIds);
  await resolveLines(em, tenant, vendor, cells.model, lines);
  return {
    mac,
    vendor,
    model: cells.model ?? null,
    ...(status ? { status } : {}),
    ...(profileId ? { profileId } : {}),
    lines,
  };
}

/** A row's error as the report shows it; a failure that is not the row's fault (5xx) aborts the import. */
function errorOf(error: unknown): ImportRowReportType['errors'][number] {
  if (!(error instanceof AppError)) {
    const { statusCode, body } = toErrorResponse(error);
    if (statusCode >= 500) throw error;
    return { code: body.code, message: body.message };
  }
  const field = (error.details as { field?: unknown } | undefined)?.field;
  return { code: error.code, message: error.message, ...(typeof field === 'string' ? { field } : {}) };
}

/**
 * Bulk device import. Every row is checked first (MAC form and uniqueness — in the platform and
 * within the file —, vendor, model line count, profile, accounts by extension, PhoneMap groups).
 * dryRun: report only. atomic: any row error rejects the file; otherwise all rows are created in
 * one transaction. Default: valid rows are created one by one (each its own transaction) and bad
 * rows are reported with their line numbers.
 */
export async function importDevices(
  em: EntityManager,
  tenant: Tenant,
  csv: string,
  options: { dryRun: boolean; atomic: boolean },
): Promise<DeviceImportReportType> {
  const { rows, widthErrors } = parseDeviceCsv(csv);
  const lookups = await loadLookups(em, tenant, rows);
  const macsInFile = new Map<string, number>();
  const planned: PlannedRow[] = [];
  for (const row of rows) {
    const report: ImportRowReportType = {
      line: row.line,
      mac: canonicalMac(row.cells.mac ?? '') ?? row.cells.mac ?? null,
      status: 'valid',
      deviceId: null,
      errors: [],
    };
    let input: CreateDeviceInput | null = null;
    try {
      const width = widthErrors.get(row.line);
      if (width) throw rowError('row', 'csv_row_width', width);
      input = await planRow(em, tenant, row, lookups, macsInFile);
    } catch (error) {
      report.status = 'error';
      report.errors.push(errorOf(error));
    }
    planned.push({ report, input });
  }
  const failedPlanning = planned.filter((row) => !row.input).length;
  if (options.atomic && failedPlanning > 0 && !options.dryRun) {
    throw new BadRequestError(
      'import_rejected',
      `${failedPlanning} row(s) have errors: nothing was imported (atomic)`,
      summary(
        planned.map((row) => row.report),
        options,
      ),
    );
  }
  if (!options.dryRun) await createPlanned(em, tenant, planned, options.atomic);
  return summary(
    planned.map((row) => row.report),
    options,
  );
}

async function createPlanned(em: EntityManager, tenant: Tenant, planned: PlannedRow[], atomic: boolean): Promise<void> {
  const create = async (tx: EntityManager, row: PlannedRow) => {
    const { device, secret } = await createDevice(tx, tenant, row.input!);
    Object.assign(row.report, { status: 'created', deviceId: device.id, provisioningSecret: secret });
  };
  const valid = planned.filter((row) => row.input);
  if (atomic) {
    const created = await createDevicesAtomically(
      em,
      tenant.id,
      valid.map((row) => row.input!),
    );
    valid.forEach((row, index) =>
      Object.assign(row.report, {
        status: 'created',
        deviceId: created[index]!.deviceId,
        provisioningSecret: created[index]!.secret,
      }),
    );
    return;
  }
  // A fork of its own, emptied as it goes: createDevice merges each row's entities back into it,
  // and every later flush would walk them all (quadratic in the file).
  const writer = em.fork();
  for (const [index, row] of valid.entries()) {
    try {
      await create(writer, row);
    } catch (error) {
      Object.assign(row.report, { status: 'error', deviceId: null, errors: [errorOf(error)] });
    }
    if ((index + 1) % CLEAR_EVERY === 0) writer.clear();
  }
}

function summary(rows: ImportRowReportType[], options: { dryRun: boolean; atomic: boolean }): DeviceImportReportType {
  const count = (status: ImportRowReportType['status']) => rows.filter((row) => row.status === status).length;
  return {
    dryRun: options.dryRun,
    atomic: options.atomic,
    total: rows.length,
    valid: count('valid'),
    created: count('created'),
    failed: count('error'),
    rows,
  };
}
