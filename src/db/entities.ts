import { Account } from '../modules/accounts/account.entity.js';
import { AuditEntry } from '../modules/audit/audit-entry.entity.js';
import { ApiToken } from '../modules/auth/api-token.entity.js';
import { AutoAttendantOption } from '../modules/auto-attendants/auto-attendant-option.entity.js';
import { AutoAttendant } from '../modules/auto-attendants/auto-attendant.entity.js';
import { ConsoleUser } from '../modules/console/console-user.entity.js';
import { ConsoleLink } from '../modules/console/console-link.entity.js';
import { ClassOfService } from '../modules/classes-of-service/class-of-service.entity.js';
import { ContactImport } from '../modules/contacts/contact-import.entity.js';
import { ContactNumber } from '../modules/contacts/contact-number.entity.js';
import { ContactPermission } from '../modules/contacts/contact-permission.entity.js';
import { Contact } from '../modules/contacts/contact.entity.js';
import { DeviceLastSeen } from '../modules/devices/device-last-seen.entity.js';
import { DeviceLine } from '../modules/devices/device-line.entity.js';
import { Device } from '../modules/devices/device.entity.js';
import { GroupMember } from '../modules/groups/group-member.entity.js';
import { GroupSharedNumber } from '../modules/groups/group-shared-number.entity.js';
import { Group } from '../modules/groups/group.entity.js';
import { HuntGroupMember } from '../modules/hunt-groups/hunt-group-member.entity.js';
import { HuntGroup } from '../modules/hunt-groups/hunt-group.entity.js';
import { PhoneNumber } from '../modules/numbers/phone-number.entity.js';
import { QuarantinedNumber } from '../modules/numbers/quarantined-number.entity.js';
import { Artifact } from '../modules/pipeline/artifact.entity.js';
import { ChangeOutbox } from '../modules/pipeline/outbox.entity.js';
import { RenderTarget } from '../modules/pipeline/render-target.entity.js';
import { DeviceFetch } from '../modules/phone/server/device-fetch.entity.js';
import { PhoneMapGroup } from '../modules/phonemap-groups/phonemap-group.entity.js';
import { PhoneMapMember } from '../modules/phonemap-groups/phonemap-member.entity.js';
import { PhonebookContact } from '../modules/phonebooks/phonebook-contact.entity.js';
import { PhonebookGroup } from '../modules/phonebooks/phonebook-group.entity.js';
import { Phonebook } from '../modules/phonebooks/phonebook.entity.js';
import { Profile } from '../modules/profiles/profile.entity.js';
import { Tenant } from '../modules/tenants/tenant.entity.js';
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
  Phonebook,
  PhonebookContact,
  PhonebookGroup,
  ContactImport,
  TenantNotifierSettings,
  DeviceSync,
  ConsoleUser,
  ConsoleLink,
];
