import type { VendorFamily } from '../../src/modules/render/device/index.js';
import { bulkAccounts, bulkDevices } from './bulk-seed.js';
import { PipelineWatch } from './pipeline-watch.js';
import {
  createPhonebook,
  createTenant,
  importContacts,
  type Phonebook,
  type SeededDevice,
  type Tenant,
} from './seed.js';
import type { BenchStack } from './stack.js';

export interface Provisioned {
  tenant: Tenant;
  phonebook: Phonebook;
  devices: SeededDevice[];
}

/**
 * A tenant ready to be fetched from: a default profile with a registrar, the default phonebook
 * ("all") with `contacts` contacts, `devices` devices with a line each — and every target rendered.
 */
export async function provisionTenant(
  stack: BenchStack,
  options: {
    slug: string;
    devices: number;
    vendors: readonly VendorFamily[];
    contacts: number;
    log: (message: string) => void;
  },
): Promise<Provisioned> {
  const started = Date.now();
  const tenant = await createTenant(stack.adminUrl, stack.platformToken, options.slug, options.devices);
  const phonebook = await createPhonebook(tenant, 'All company contacts', true);
  if (options.contacts) await importContacts(tenant, phonebook.id, options.contacts);
  const accounts = await bulkAccounts(stack.databaseUrl, tenant, options.devices);
  const devices = await bulkDevices(stack.databaseUrl, tenant, options.devices, options.vendors, accounts);
  const watch = await PipelineWatch.open(stack.databaseUrl, tenant.slug);
  try {
    await watch.converged(3_600_000, options.devices);
  } finally {
    await watch.close();
  }
  options.log(
    `provisioned ${options.devices} devices, ${options.contacts} contacts in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  return { tenant, phonebook, devices };
}
