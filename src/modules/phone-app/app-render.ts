import { effectivePermissionsOf, type ReadRows } from '../contact-grants/contact-grants.service.js';
import type { VendorFamily } from '../../model/directory/vendor-family.js';
import { hasContactsApp } from './app-families.js';

/**
 * Whether each device's file carries the key that opens the contacts app: its family runs the
 * app and the user on line 1 may view company contacts (effectivePermissionsOf, the rule the app
 * itself checks). One statement for the whole batch.
 */
export async function contactsAppFor(
  read: ReadRows,
  devices: readonly { vendor: VendorFamily; lineOneAccountId?: string | null }[],
): Promise<boolean[]> {
  const users = devices
    .filter((device) => hasContactsApp(device.vendor))
    .map((device) => device.lineOneAccountId)
    .filter((id): id is string => typeof id === 'string');
  const granted = await effectivePermissionsOf(read, users);
  return devices.map(
    (device) =>
      hasContactsApp(device.vendor) &&
      typeof device.lineOneAccountId === 'string' &&
      (granted.get(device.lineOneAccountId)?.permissions.includes('view') ?? false),
  );
}
