import { Migration20261207081500_console_links } from './Migration20261207081500_console_links.js';
import { Migration20261207110000_name_collation } from './Migration20261207110000_name_collation.js';
import { Migration20261207080000_api_token_expiry } from './Migration20261207080000_api_token_expiry.js';
import { Migration20261207113000_list_search_indexes } from './Migration20261207113000_list_search_indexes.js';
import { Migration20261207114700_render_errors } from './Migration20261207114700_render_errors.js';
import { Migration20261207033000_console_users } from './Migration20261207033000_console_users.js';
import { Migration20261123043500_capture_contacts_set } from './Migration20261123043500_capture_contacts_set.js';
import { Migration20261123022441_notify } from './Migration20261123022441_notify.js';
import { Migration20261123020818_phone_indexes } from './Migration20261123020818_phone_indexes.js';
import { Migration20261123020323_phone_allow_list } from './Migration20261123020323_phone_allow_list.js';
import { Migration20261123020215_directory_token } from './Migration20261123020215_directory_token.js';
import { Migration20261123021000_capture_directory } from './Migration20261123021000_capture_directory.js';
import { Migration20261123013929_contacts } from './Migration20261123013929_contacts.js';
import { Migration20261123012850_directory } from './Migration20261123012850_directory.js';
import { Migration20261123012816_pipeline } from './Migration20261123012816_pipeline.js';
import { Migration20261123011907_foundation } from './Migration20261123011907_foundation.js';
import { Migration20261207132000_contact_grants } from './Migration20261207132000_contact_grants.js';
/** Every committed migration, in order. `npm run migration:create` appends here. */
// MikroORM's migrator takes any Migration subclass constructor; its own type says `any`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const MIGRATIONS: { name: string; class: new (...args: any[]) => any }[] = [
  { name: 'Migration20261123011907_foundation', class: Migration20261123011907_foundation },
  { name: 'Migration20261123012816_pipeline', class: Migration20261123012816_pipeline },
  { name: 'Migration20261123012850_directory', class: Migration20261123012850_directory },
  { name: 'Migration20261123013929_contacts', class: Migration20261123013929_contacts },
  { name: 'Migration20261123021000_capture_directory', class: Migration20261123021000_capture_directory },
  { name: 'Migration20261123020215_directory_token', class: Migration20261123020215_directory_token },
  { name: 'Migration20261123020323_phone_allow_list', class: Migration20261123020323_phone_allow_list },
  { name: 'Migration20261123020818_phone_indexes', class: Migration20261123020818_phone_indexes },
  { name: 'Migration20261123022441_notify', class: Migration20261123022441_notify },
  { name: 'Migration20261123043500_capture_contacts_set', class: Migration20261123043500_capture_contacts_set },
  { name: 'Migration20261207033000_console_users', class: Migration20261207033000_console_users },
  { name: 'Migration20261207080000_api_token_expiry', class: Migration20261207080000_api_token_expiry },
  { name: 'Migration20261207081500_console_links', class: Migration20261207081500_console_links },
  { name: 'Migration20261207110000_name_collation', class: Migration20261207110000_name_collation },
  { name: 'Migration20261207113000_list_search_indexes', class: Migration20261207113000_list_search_indexes },
  { name: 'Migration20261207114700_render_errors', class: Migration20261207114700_render_errors },
  { name: 'Migration20261207132000_contact_grants', class: Migration20261207132000_contact_grants },
];
