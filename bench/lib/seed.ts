import { knownModelIds, type VendorFamily } from '../../src/modules/render/device/index.js';
import { AdminClient, inPool } from './admin.js';
import { contactsCsv } from './contacts-csv.js';
import { until } from './stats.js';

/**
 * Test data made through the admin API, as an operator would: a tenant, a group, accounts, devices
 * (CSV import, line 1 bound to an account) and phonebooks with contacts (CSV import).
 */

export interface SeededDevice {
  id: string;
  mac: string;
  vendor: VendorFamily;
  model: string;
  secret: string;
}

export interface Tenant {
  slug: string;
  api: AdminClient;
  groupId: string;
  /** The tenant default profile: changing it re-renders every device of the tenant. */
  profileId: string;
}

/** Profile settings; a new `version` changes every device's rendered bytes. */
export function BENCH_PROFILE_SETTINGS(version: number): Record<string, unknown> {
  return { sipServer: 'sip.bench.example', ntpServer: `ntp${version}.bench.example` };
}

export async function createTenant(
  adminUrl: string,
  platformToken: string,
  slug: string,
  maxAccounts: number,
): Promise<Tenant> {
  const api = new AdminClient(adminUrl, platformToken);
  await api.ok('POST', '/tenants', {
    slug,
    name: `Bench ${slug}`,
    maxAccounts: Math.max(maxAccounts, 1),
    defaultCountry: 'DE',
  });
  // Lines need a registrar: the tenant default profile names one (a new group copies it).
  const profile = await api.ok<{ id: string }>('POST', `/tenants/${slug}/profiles`, {
    name: 'Bench default',
    settings: BENCH_PROFILE_SETTINGS(0),
  });
  await api.ok('PATCH', `/tenants/${slug}`, { defaultProfileId: profile.id });
  const group = await api.ok<{ id: string }>('POST', `/tenants/${slug}/groups`, { name: 'Bench group' });
  return { slug, api, groupId: group.id, profileId: profile.id };
}

export function extensionOf(index: number): string {
  return String(100000 + index);
}

/** `count` accounts with extensions 100000…, created with `concurrency` requests in flight. */
export async function createAccounts(tenant: Tenant, count: number, concurrency = 8): Promise<string[]> {
  const indexes = Array.from({ length: count }, (_, i) => i);
  return inPool(indexes, concurrency, async (i) => {
    const account = await tenant.api.ok<{ id: string }>('POST', `/tenants/${tenant.slug}/accounts`, {
      groupId: tenant.groupId,
      extension: extensionOf(i),
      displayName: `Bench User ${i}`,
    });
    return account.id;
  });
}

/** A locally administered unicast MAC, unique per index. */
export function benchMac(index: number): string {
  return `02be${index.toString(16).padStart(8, '0')}`;
}

const IMPORT_ROWS = 10_000;

/**
 * Imports `count` devices (vendors round-robin, model = the vendor's first known model), line 1
 * bound to account `index % accounts` by extension. Returns them with their one-time secrets.
 */
export async function importDevices(
  tenant: Tenant,
  count: number,
  vendors: readonly VendorFamily[],
  accounts: number,
  firstIndex = 0,
): Promise<SeededDevice[]> {
  const devices: SeededDevice[] = [];
  for (let start = 0; start < count; start += IMPORT_ROWS) {
    const rows = ['mac,vendor,model,line1_account'];
    const batch: Omit<SeededDevice, 'id' | 'secret'>[] = [];
    for (let i = start; i < Math.min(count, start + IMPORT_ROWS); i++) {
      const vendor = vendors[i % vendors.length]!;
      const model = knownModelIds(vendor)[0]!;
      const mac = benchMac(firstIndex + i);
      rows.push(`${mac},${vendor},${model},${accounts > 0 ? extensionOf(i % accounts) : ''}`);
      batch.push({ mac, vendor, model });
    }
    const report = await tenant.api.ok<{
      failed: number;
      rows: { mac: string | null; deviceId: string | null; provisioningSecret?: string; errors: unknown[] }[];
    }>('POST', `/tenants/${tenant.slug}/devices/import?atomic=true`, rows.join('\n') + '\n');
    if (report.failed)
      throw new Error(
        `device import: ${report.failed} rows failed: ${JSON.stringify(report.rows.find((row) => row.errors.length))}`,
      );
    report.rows.forEach((row, i) => devices.push({ ...batch[i]!, id: row.deviceId!, secret: row.provisioningSecret! }));
  }
  return devices;
}

export interface Phonebook {
  id: string;
  token: string;
}

/** A new phonebook, or with `isDefault` the tenant's default one (every new tenant starts with it). */
export async function createPhonebook(tenant: Tenant, name: string, isDefault = false): Promise<Phonebook> {
  if (isDefault) {
    const books = await tenant.api.ok<{ items: { id: string; token: string; isDefault: boolean }[] }>(
      'GET',
      `/tenants/${tenant.slug}/phonebooks`,
    );
    const book = books.items.find((item) => item.isDefault);
    if (book) return { id: book.id, token: book.token };
  }
  const book = await tenant.api.ok<{ id: string; token: string }>('POST', `/tenants/${tenant.slug}/phonebooks`, {
    name,
    isDefault,
    visibility: 'all',
  });
  return { id: book.id, token: book.token };
}

/** Imports `rows` generated contacts into a phonebook; waits for a spooled (job) import to finish. */
export async function importContacts(
  tenant: Tenant,
  phonebookId: string,
  rows: number,
  seed = 0,
): Promise<{ id: string | null; created: number }> {
  const csv = contactsCsv(rows, seed);
  const view = await tenant.api.ok<{ id: string | null; status: string; created: number }>(
    'POST',
    `/tenants/${tenant.slug}/contacts/import?format=csv&phonebook=${phonebookId}`,
    csv,
    [200, 202],
  );
  if (view.status === 'done' || !view.id) return { id: view.id, created: view.created };
  const done = await until(
    async () => {
      const current = await tenant.api.ok<{ status: string; created: number }>(
        'GET',
        `/tenants/${tenant.slug}/contacts/imports/${view.id}`,
      );
      if (current.status === 'failed') throw new Error('contact import failed');
      return current.status === 'done' ? current : undefined;
    },
    600_000,
    'contact import',
    250,
  );
  return { id: view.id, created: done.created };
}
