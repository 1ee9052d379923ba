import { randomBytes } from 'node:crypto';
import { knownModelIds, type VendorFamily } from '#src/modules/render/device/index.js';
import { AdminClient, inPool, type ErrorBodies } from './admin.js';
import { Canaries } from './canaries.js';

/** One real OUI per vendor family (IEEE registrations of the phone makers), for realistic MACs. */
export const VENDOR_OUIS: Record<VendorFamily, string[]> = {
  yealink: ['001565', '805ec0', '249ad8'],
  poly: ['0004f2', '64167f'],
  'cisco-mpp': ['6c416a', '00cfe0'],
  'cisco-enterprise': ['0008e3', '001b54'],
  grandstream: ['000b82', 'c074ad'],
  snom: ['000413'],
  fanvil: ['0c383e'],
  gigaset: ['7c2f80', '00016d'],
};
export const VENDORS = Object.keys(VENDOR_OUIS) as VendorFamily[];

/** Names a hostile operator or a careless import could type: markup, quotes, bidi marks, emoji. */
export const HOSTILE_NAMES = [
  `Zoë "Z" O'Brien & <Co>`,
  `]]><evil a="1"/><!--`,
  `\u202Eslaer\u202C \u200Fمرحبا\u200E`,
  `😀 👩‍💻 山田`,
  `=HYPERLINK("http://x")`,
  `+1 @SUM(A1) -2`,
];

export interface SeededDevice {
  id: string;
  mac: string;
  vendor: VendorFamily;
  model: string;
  secret: string;
}

export interface SeededTenant {
  slug: string;
  id: string;
  owner: AdminClient;
  groupId: string;
  profileId: string;
  phonebook: { id: string; token: string };
  accounts: { id: string; extension: string }[];
  devices: SeededDevice[];
}

const usedMacs = new Set<string>();
export function vendorMac(vendor: VendorFamily): string {
  for (;;) {
    const ouis = VENDOR_OUIS[vendor];
    const mac = `${ouis[Math.floor(Math.random() * ouis.length)]}${randomBytes(3).toString('hex')}`;
    if (!usedMacs.has(mac)) {
      usedMacs.add(mac);
      return mac;
    }
  }
}

export interface TenantPlan {
  slug: string;
  accounts: number;
  devices: number;
  /** Bind line 1 of device i to account i % accounts. */
  lines: boolean;
}

/**
 * A tenant as an operator sets one up through the admin API: an owner token, a default profile
 * (with an admin password), a group, accounts with SIP passwords, devices imported by CSV and the
 * default phonebook. Every secret is a registered canary.
 */
export async function seedTenant(platform: AdminClient, canaries: Canaries, plan: TenantPlan): Promise<SeededTenant> {
  const tenant = await platform.ok<{ id: string }>('POST', '/api/v1/tenants', {
    slug: plan.slug,
    name: `Battery ${plan.slug}`,
    maxAccounts: plan.accounts + 2000,
    defaultCountry: 'DE',
  });
  const issued = await platform.ok<{ token: string }>('POST', `/api/v1/tenants/${plan.slug}/api-tokens`, {
    name: 'battery owner',
    role: 'owner',
  });
  const owner = platform.withToken(canaries.add('api-token', issued.token));
  const viewer = await owner.ok<{ token: string }>('POST', `/api/v1/tenants/${plan.slug}/api-tokens`, {
    name: 'battery viewer',
    role: 'viewer',
  });
  canaries.add('api-token', viewer.token);
  const base = `/api/v1/tenants/${plan.slug}`;
  const profile = await owner.ok<{ id: string }>('POST', `${base}/profiles`, {
    name: 'Battery default',
    settings: {
      sipServer: 'sip.battery.example',
      ntpServer: 'ntp.battery.example',
      adminPassword: canaries.add('admin-password', Canaries.make('Adm')),
    },
  });
  await owner.ok('PUT', `${base}/profiles/${profile.id}/default`);
  const group = await owner.ok<{ id: string }>('POST', `${base}/groups`, { name: `Sales ${HOSTILE_NAMES[0]}` });
  // A new tenant comes with its default phonebook.
  const books = await owner.ok<{ items: { id: string; token: string; isDefault: boolean }[] }>(
    'GET',
    `${base}/phonebooks`,
  );
  const phonebook = books.items.find((book) => book.isDefault)!;
  const accounts = await inPool(
    Array.from({ length: plan.accounts }, (_, i) => i),
    6,
    async (i) => {
      const extension = String(100000 + i);
      const created = await owner.ok<{ id: string }>('POST', `${base}/accounts`, {
        groupId: group.id,
        extension,
        displayName: `${HOSTILE_NAMES[i % HOSTILE_NAMES.length]} ${i}`,
        sipPassword: canaries.add('sip-password', Canaries.make('Sip')),
      });
      return { id: created.id, extension };
    },
  );
  const devices = await importDevices(owner, base, plan.devices, plan.lines ? accounts : []);
  for (const device of devices) canaries.add('device-secret', device.secret);
  return {
    slug: plan.slug,
    id: tenant.id,
    owner,
    groupId: group.id,
    profileId: profile.id,
    phonebook,
    accounts,
    devices,
  };
}

async function importDevices(
  owner: AdminClient,
  base: string,
  count: number,
  accounts: { extension: string }[],
): Promise<SeededDevice[]> {
  const devices: SeededDevice[] = [];
  for (let start = 0; start < count; start += 2000) {
    const batch = Array.from({ length: Math.min(2000, count - start) }, (_, k) => {
      const vendor = VENDORS[(start + k) % VENDORS.length]!;
      return {
        vendor,
        model: knownModelIds(vendor)[0]!,
        mac: vendorMac(vendor),
        account: accounts.length ? accounts[(start + k) % accounts.length]!.extension : '',
      };
    });
    const csv =
      ['mac,vendor,model,line1_account', ...batch.map((d) => `${d.mac},${d.vendor},${d.model},${d.account}`)].join(
        '\n',
      ) + '\n';
    const report = await owner.ok<{
      failed: number;
      rows: { deviceId: string; provisioningSecret?: string; errors: unknown[] }[];
    }>('POST', `${base}/devices/import?atomic=true`, csv);
    if (report.failed)
      throw new Error(`device import failed: ${JSON.stringify(report.rows.find((row) => row.errors.length))}`);
    report.rows.forEach((row, k) => devices.push({ ...batch[k]!, id: row.deviceId, secret: row.provisioningSecret! }));
  }
  return devices;
}

/** Contacts CSV with hostile names mixed in; every row a distinct contact with valid German numbers. */
export function contactsCsv(rows: number, seed: string, numberOffset: number): string {
  const quote = (cell: string) => `"${cell.replace(/"/g, '""')}"`;
  const lines = ['first_name,last_name,company,work,mobile'];
  for (let i = 0; i < rows; i++) {
    const hostile = HOSTILE_NAMES[i % HOSTILE_NAMES.length]!;
    const n = String(numberOffset + i).padStart(7, '0');
    lines.push(
      [
        quote(`${seed}${i}`),
        quote(i % 7 === 0 ? hostile : `Family${i % 997}`),
        quote(i % 5 === 0 ? hostile : `Company ${i % 101}`),
        `+49301${n}`,
        `+491511${n}`,
      ].join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

export function platformClient(adminUrl: string, platformToken: string, errors: ErrorBodies): AdminClient {
  return new AdminClient(adminUrl, platformToken, errors);
}
