import type { SettingsList } from '../render/device/settings-list.js';

/** What the key or menu entry that opens the app says on the phone. */
export const CONTACTS_APP_LABEL = 'Company Contacts';

/**
 * Yealink: idle softkey 2 (`programablekey.2.*`, factory default "Directory") becomes the app:
 * type 27 is "XML Browser", value the URL it opens. The remote phonebooks stay in the phone's
 * Directory menu; the app browses and searches the same books.
 */
export function addYealinkContactsKey(list: SettingsList, url: string | undefined): void {
  if (url === undefined) return;
  list.add('programablekey.2.type', '27');
  list.add('programablekey.2.value', url);
  list.add('programablekey.2.label', CONTACTS_APP_LABEL);
}

/** Cisco MPP: the Applications button's XML service (`XML_Application_Service_Name|URL`). */
export function addCiscoMppContactsEntry(list: SettingsList, url: string | undefined): void {
  if (url === undefined) return;
  list.add('XML_Application_Service_Name', CONTACTS_APP_LABEL);
  list.add('XML_Application_Service_URL', url);
}
