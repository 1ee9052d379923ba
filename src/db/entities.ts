import { Account } from '../model/directory/account.entity.js';
import { AuditEntry } from '../model/audit/audit-entry.entity.js';
import { ApiToken } from '../model/auth/api-token.entity.js';
import { AutoAttendantOption } from '../model/directory/auto-attendant-option.entity.js';
import { AutoAttendant } from '../model/directory/auto-attendant.entity.js';
import { ConsoleUser } from '../modules/console/console-user.entity.js';
import { ConsoleLink } from '../modules/console/console-link.entity.js';
import { ClassOfService } from '../model/directory/class-of-service.entity.js';
import { ContactImport } from '../model/contacts/contact-import.entity.js';
import { ContactNumber } from '../model/contacts/contact-number.entity.js';
import { ContactPermission } from '../model/contacts/contact-permission.entity.js';
import { ContactGrant } from '../model/contacts/contact-grant.entity.js';
import { Contact } from '../model/contacts/contact.entity.js';
import { DeviceLastSeen } from '../model/directory/device-last-seen.entity.js';
import { DeviceLine } from '../model/directory/device-line.entity.js';
import { Device } from '../model/directory/device.entity.js';
import { GroupMember } from '../model/directory/group-member.entity.js';
import { GroupSharedNumber } from '../model/directory/group-shared-number.entity.js';
import { Group } from '../model/directory/group.entity.js';
import { HuntGroupMember } from '../model/directory/hunt-group-member.entity.js';
import { HuntGroup } from '../model/directory/hunt-group.entity.js';
import { PhoneNumber } from '../model/directory/phone-number.entity.js';
import { QuarantinedNumber } from '../model/directory/quarantined-number.entity.js';
import { Artifact } from '../modules/pipeline/artifact.entity.js';
import { ChangeOutbox } from '../modules/pipeline/outbox.entity.js';
import { RenderTarget } from '../modules/pipeline/render-target.entity.js';
import { DeviceFetch } from '../modules/phone/server/device-fetch.entity.js';
import { PhoneMapGroup } from '../model/directory/phonemap-group.entity.js';
import { PhoneMapMember } from '../model/directory/phonemap-member.entity.js';
import { PhonebookContact } from '../model/phonebooks/phonebook-contact.entity.js';
import { PhonebookGroup } from '../model/phonebooks/phonebook-group.entity.js';
import { Phonebook } from '../model/phonebooks/phonebook.entity.js';
import { Profile } from '../model/directory/profile.entity.js';
import { Tenant } from '../model/directory/tenant.entity.js';
import { TenantNotifierSettings } from '../modules/notify/settings/notifier-settings.entity.js';
import { DeviceSync } from '../modules/notify/sync/device-sync.entity.js';

/** Every entity the ORM knows. New feature entities register here. */
export const ENTITIES = [
  Tenant,
  ApiToken,
  AuditEntry,
  Profile,
  ClassOfService,
  Group,
  GroupMember,
  GroupSharedNumber,
  Account,
  PhoneNumber,
  QuarantinedNumber,
  HuntGroup,
  HuntGroupMember,
  AutoAttendant,
  AutoAttendantOption,
  PhoneMapGroup,
  PhoneMapMember,
  Device,
  DeviceLine,
  DeviceLastSeen,
  DeviceFetch,
  ChangeOutbox,
  RenderTarget,
  Artifact,
  Contact,
  ContactNumber,
  ContactPermission,
  ContactGrant,
  Phonebook,
  PhonebookContact,
  PhonebookGroup,
  ContactImport,
  TenantNotifierSettings,
  DeviceSync,
  ConsoleUser,
  ConsoleLink,
];
