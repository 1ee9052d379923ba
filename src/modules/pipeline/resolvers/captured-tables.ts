/**
 * Every directory table whose changes can alter what a phone is served, with the key columns
 * fan-out needs. Contacts and phonebooks register theirs in the contacts migration.
 */
export const CAPTURED_DIRECTORY_TABLES: [table: string, keys: string[], ignore?: string[]][] = [
  ['tenants', ['id']],
  ['profiles', ['id']],
  ['classes_of_service', ['id']],
  ['groups', ['id']],
  ['group_members', ['group_id', 'account_id']],
  ['group_shared_numbers', ['group_id', 'number_id']],
  ['accounts', ['id']],
  ['phone_numbers', ['id', 'account_id', 'hunt_group_id', 'auto_attendant_id']],
  ['hunt_groups', ['id']],
  ['hunt_group_members', ['hunt_group_id', 'account_id']],
  ['auto_attendants', ['id']],
  ['auto_attendant_options', ['auto_attendant_id']],
  ['phonemap_groups', ['id']],
  ['phonemap_members', ['phonemap_group_id', 'account_id']],
  // Reported firmware is phone-side state, not configuration.
  ['devices', ['id'], ['firmware', 'updated_at']],
  ['device_lines', ['device_id', 'account_id', 'phonemap_group_id']],
];
