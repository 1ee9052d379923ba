import type { VendorFamily } from '../device/index.js';
import type { PhonebookFormat } from '../phonebook/index.js';

/** The phonebook format each vendor family reads (the format id in `/pb/<token>/<format>.xml`). */
export const VENDOR_PHONEBOOK_FORMAT: Record<VendorFamily, PhonebookFormat> = {
  yealink: 'yealink',
  poly: 'poly',
  'cisco-mpp': 'cisco',
  'cisco-enterprise': 'cisco',
  grandstream: 'grandstream',
  // dkey_directory opens the URL in the minibrowser; `snom` (tbook) is a settings document.
  snom: 'snom-directory',
  fanvil: 'fanvil',
  gigaset: 'gigaset',
};

/** Absolute URL of the folder a phonebook's files are served from; Cisco page links hang off it. */
export function phonebookFolderUrl(publicPhoneUrl: string, token: string): string {
  return `${publicPhoneUrl.replace(/\/+$/, '')}/pb/${token}`;
}

/** The URL a phone is given for one phonebook in its format (Cisco: page 1, also served as `cisco.xml`). */
export function phonebookUrl(publicPhoneUrl: string, token: string, format: PhonebookFormat): string {
  return `${phonebookFolderUrl(publicPhoneUrl, token)}/${format}.xml`;
}
