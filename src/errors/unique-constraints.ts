/**
 * The 409 a unique constraint stands for. Services check before they write (and answer these
 * codes with details), but two concurrent requests can both pass the check; the loser then hits
 * the constraint, and must get the same code a sequential request gets, not a generic `conflict`.
 * Keyed by the constraint (or unique index) name Postgres reports.
 */
export const UNIQUE_CONSTRAINT_CODES: Readonly<Record<string, { code: string; message: string }>> = {
  accounts_tenant_extension_unique: { code: 'extension_taken', message: 'the extension is already in use' },
  hunt_groups_tenant_extension_unique: { code: 'extension_taken', message: 'the extension is already in use' },
  auto_attendants_tenant_extension_unique: { code: 'extension_taken', message: 'the extension is already in use' },
  accounts_tenant_sip_username_unique: { code: 'sip_username_taken', message: 'the SIP username is already in use' },
  groups_tenant_name_unique: { code: 'group_name_taken', message: 'a group with this name already exists' },
  phonebooks_tenant_name_unique: { code: 'phonebook_name_taken', message: 'a phonebook with this name already exists' },
  phonebooks_one_default_per_tenant: {
    code: 'default_phonebook_exists',
    message: 'the tenant already has a default phonebook; unset it first',
  },
  hunt_groups_tenant_name_unique: {
    code: 'hunt_group_name_taken',
    message: 'a hunt group with this name already exists',
  },
  auto_attendants_tenant_name_unique: {
    code: 'auto_attendant_name_taken',
    message: 'an auto attendant with this name already exists',
  },
  profiles_tenant_name_unique: { code: 'name_taken', message: 'a profile with this name already exists' },
  classes_of_service_tenant_name_unique: {
    code: 'name_taken',
    message: 'a class of service with this name already exists',
  },
  phonemap_groups_tenant_token_unique: {
    code: 'phonemap_group_id_taken',
    message: 'a PhoneMap group with this id already exists',
  },
  phone_numbers_tenant_e164_unique: { code: 'number_exists', message: 'the number is already in the inventory' },
  devices_mac_unique: { code: 'mac_taken', message: 'a device with this MAC address already exists' },
  tenants_slug_unique: { code: 'tenant_slug_taken', message: 'a tenant with this slug already exists' },
  console_users_email_unique: { code: 'email_taken', message: 'a console user with this email already exists' },
  phone_numbers_one_primary_per_account: {
    code: 'primary_exists',
    message: 'the account already has a primary number',
  },
  group_members_group_account_unique: {
    code: 'already_member',
    message: 'the account is already an extra member of this group',
  },
  group_shared_numbers_group_number_unique: {
    code: 'already_shared',
    message: 'the number is already shared with this group',
  },
};
