import { phonebookServePath } from '../../render/targets/artifact-files.js';
import { phonebookFormatOf } from '../../render/targets/device-phonebooks.js';
import { VENDOR_REGISTRY } from '../../vendors/registry.js';
import type { DeviceCredentials } from './device-cache.js';
import type { TenantInfo } from './tenant-cache.js';

/**
 * Where a device file is stored. Most are the device's own artifacts (`<mac>/<name lowercased>`).
 * A family's `files.directory` name is not (Poly's `<mac>-directory.xml`: UC Software has no
 * phonebook URL and reads its contact directory only from that name on the provisioning server),
 * so it is answered (after the same device authentication) with the family's variant of the
 * tenant's internal directory, which is rendered once per tenant and shared. The internal
 * directory is the first phonebook every device sees (render/targets/device-phonebooks.ts), so
 * this needs no per-device lookup.
 */
export function deviceFileServePath(
  device: DeviceCredentials,
  tenant: TenantInfo,
  name: string,
): { servePath: string; shared: boolean } {
  if (VENDOR_REGISTRY[device.vendor].files.directory?.test(name)) {
    return {
      servePath: phonebookServePath(tenant.directoryToken, `${phonebookFormatOf(device.vendor)}.xml`),
      shared: true,
    };
  }
  return { servePath: `${device.mac}/${name.toLowerCase()}`, shared: false };
}
