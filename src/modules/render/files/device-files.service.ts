import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '../../../errors/errors.js';
import { sqlRows } from '../../contacts/sql-rows.js';
import { Device } from '../../../model/directory/device.entity.js';
import { deviceTarget } from '../../pipeline/fanout.types.js';
import { findInTenant } from '../../tenants/tenant-lookup.js';
import type { Tenant } from '../../../model/directory/tenant.entity.js';
import { deviceFileNames } from '../device/index.js';
import { deviceServePath } from '../targets/artifact-files.js';
import { provisionedAccountIds } from '../targets/device-lines.loader.js';
import { phonebookFormatOf, phonebooksSeenBy, visiblePhonebookTargetKey } from '../targets/device-phonebooks.js';
import { phonebookUrl } from '../targets/phonebook-urls.js';
import type { ArtifactFileViewType, DeviceFilesViewType, RenderStateViewType } from './device-files.schemas.js';

interface TargetRow {
  id: string;
  target_key: string;
  desired_gen: string;
  rendered_gen: string;
  state: 'pending' | 'ok' | 'failed';
  last_error: string | null;
  warnings: string[] | null;
  rendered_hash: string | null;
  rendered_at: Date | null;
}

interface ArtifactRow {
  target_id: string;
  serve_path: string;
  content_type: string;
  sha256: string;
  size: number;
  generation: string;
  carries_secrets: boolean;
  updated_at: Date;
}

function stateView(row: TargetRow): RenderStateViewType {
  return {
    targetId: String(row.id),
    desiredGen: String(row.desired_gen),
    renderedGen: String(row.rendered_gen),
    upToDate: BigInt(row.rendered_gen) >= BigInt(row.desired_gen),
    state: row.state,
    lastError: row.last_error,
    warnings: row.warnings ?? [],
    renderedHash: row.rendered_hash,
    renderedAt: row.rendered_at ? new Date(row.rendered_at).toISOString() : null,
  };
}

function fileView(row: ArtifactRow, name: string): ArtifactFileViewType {
  return {
    name,
    servePath: row.serve_path,
    contentType: row.content_type,
    sha256: row.sha256,
    size: Number(row.size),
    generation: String(row.generation),
    carriesSecrets: row.carries_secrets,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Device file names in the vendor's case (`SEP<MAC>.cnf.xml`), keyed by the lowercased name the store keeps. */
function vendorNames(device: Device): Map<string, string> {
  try {
    return new Map(
      deviceFileNames(device.vendor, device.mac, device.model ?? '').map((name) => [name.toLowerCase(), name]),
    );
  } catch {
    // A model that cannot be part of a file name renders nothing anyway; show stored names as they are.
    return new Map();
  }
}

async function targetsAndFiles(
  em: EntityManager,
  keys: string[],
): Promise<{ targets: Map<string, TargetRow>; files: Map<string, ArtifactRow[]> }> {
  const targetRows = await sqlRows<TargetRow>(
    em,
    `select id, target_key, desired_gen, rendered_gen, state, last_error, warnings, rendered_hash, rendered_at from render_targets where target_key = any(?::text[])`,
    [keys],
  );
  const artifactRows = await sqlRows<ArtifactRow>(
    em,
    `select target_id, serve_path, content_type, sha256, octet_length(body) as size, generation, carries_secrets, updated_at
       from artifacts where target_id = any(?::bigint[]) order by serve_path`,
    [targetRows.map((row) => row.id)],
  );
  const files = new Map<string, ArtifactRow[]>();
  for (const row of artifactRows) files.set(String(row.target_id), [...(files.get(String(row.target_id)) ?? []), row]);
  return { targets: new Map(targetRows.map((row) => [row.target_key, row])), files };
}

/** What a device is served now: its own files, and the phonebook variants its file points at, each with render state. */
export async function listDeviceFiles(
  em: EntityManager,
  tenant: Tenant,
  deviceId: string,
  publicPhoneUrl: string,
): Promise<DeviceFilesViewType> {
  const device = await findInTenant(em, Device, tenant, deviceId, 'device');
  const format = phonebookFormatOf(device.vendor);
  const books = await phonebooksSeenBy(em, tenant, await provisionedAccountIds(em, device.id));
  const deviceKey = deviceTarget(tenant.id, device.id).targetKey;
  const bookKeys = books.map((book) => visiblePhonebookTargetKey(tenant.id, book, format));
  const { targets, files } = await targetsAndFiles(em, [deviceKey, ...bookKeys]);
  const names = vendorNames(device);
  const deviceState = targets.get(deviceKey);
  const prefix = `${device.mac}/`;
  return {
    deviceId: device.id,
    mac: device.mac,
    vendor: device.vendor,
    status: device.status,
    render: deviceState ? stateView(deviceState) : null,
    files: (deviceState ? (files.get(String(deviceState.id)) ?? []) : []).map((row) => {
      const stored = row.serve_path.startsWith(prefix) ? row.serve_path.slice(prefix.length) : row.serve_path;
      return fileView(row, names.get(stored) ?? stored);
    }),
    phonebooks: books.map((book, i) => {
      const state = targets.get(bookKeys[i]!);
      return {
        kind: book.kind,
        id: book.id,
        name: book.name,
        format,
        url: phonebookUrl(publicPhoneUrl, book.token, format),
        render: state ? stateView(state) : null,
        files: (state ? (files.get(String(state.id)) ?? []) : []).map((row) =>
          fileView(row, row.serve_path.slice(row.serve_path.lastIndexOf('/') + 1)),
        ),
      };
    }),
  };
}

export interface DeviceFileContent {
  name: string;
  contentType: string;
  body: Buffer;
  sha256: string;
  generation: string;
  carriesSecrets: boolean;
}

/** One stored device file, by name in any case. Only the device's own target's files; 404 otherwise. */
export async function readDeviceFile(
  em: EntityManager,
  tenant: Tenant,
  deviceId: string,
  name: string,
): Promise<DeviceFileContent> {
  const device = await findInTenant(em, Device, tenant, deviceId, 'device');
  const [row] = await sqlRows<{
    content_type: string;
    body: Buffer;
    sha256: string;
    generation: string;
    carries_secrets: boolean;
  }>(
    em,
    `select a.content_type, a.body, a.sha256, a.generation, a.carries_secrets
       from artifacts a join render_targets t on t.id = a.target_id
      where t.target_key = ? and a.serve_path = ?`,
    [deviceTarget(tenant.id, device.id).targetKey, deviceServePath(device.mac, name)],
  );
  if (!row) throw new NotFoundError('file');
  const canonical = vendorNames(device).get(name.toLowerCase()) ?? name.toLowerCase();
  return {
    name: canonical,
    contentType: row.content_type,
    body: row.body,
    sha256: row.sha256,
    generation: String(row.generation),
    carriesSecrets: row.carries_secrets,
  };
}
