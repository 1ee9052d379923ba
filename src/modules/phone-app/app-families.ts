import type { VendorFamily } from '../../model/directory/vendor-family.js';
import type { AppPage, FamilyLimits } from './app-pages.types.js';
import { CISCO_APP_LIMITS, ciscoPage } from './cisco.pages.js';
import { YEALINK_APP_LIMITS, yealinkPage } from './yealink.pages.js';

export interface AppFamily {
  render: (page: AppPage) => Buffer;
  limits: FamilyLimits;
}

/**
 * Families whose phones run the contacts app (docs/phone-app.md lists the others and why).
 * Cisco enterprise (SEP) phones fetch without credentials (TFTP), so they cannot authenticate as
 * their device: only MPP phones get the Cisco pages.
 */
const FAMILIES: Partial<Record<VendorFamily, AppFamily>> = {
  yealink: { render: yealinkPage, limits: YEALINK_APP_LIMITS },
  'cisco-mpp': { render: ciscoPage, limits: CISCO_APP_LIMITS },
};

export function appFamilyOf(vendor: VendorFamily): AppFamily | undefined {
  return FAMILIES[vendor];
}

export function hasContactsApp(vendor: VendorFamily): boolean {
  return FAMILIES[vendor] !== undefined;
}

/** The app's first screen for a device: the URL its key or menu entry opens. */
export function contactsAppUrl(publicPhoneUrl: string, mac: string): string {
  return `${publicPhoneUrl.replace(/\/+$/, '')}/app/${mac}/menu.xml`;
}
