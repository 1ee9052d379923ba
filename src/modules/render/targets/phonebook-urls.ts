import type { PhonebookFormat } from '../phonebook/index.js';

/** Absolute URL of the folder a phonebook's files are served from; Cisco page links hang off it. */
export function phonebookFolderUrl(publicPhoneUrl: string, token: string): string {
  return `${publicPhoneUrl.replace(/\/+$/, '')}/pb/${token}`;
}

/** The URL a phone is given for one phonebook in its format (Cisco: page 1, also served as `cisco.xml`). */
export function phonebookUrl(publicPhoneUrl: string, token: string, format: PhonebookFormat): string {
  return `${phonebookFolderUrl(publicPhoneUrl, token)}/${format}.xml`;
}
