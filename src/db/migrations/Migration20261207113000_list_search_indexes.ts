import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for the console's lists at 10,000 accounts / 100,000 devices (bench console-lists):
 * trigram indexes for the substring searches of the device and user lists (MAC, model, line
 * label, user name / extension / SIP user name / email, number digits), devices by tenant in list
 * order (the page and its count), and (tenant, model) for the model filter's distinct values.
 */
const UP = [
  `create index "devices_tenant_mac_index" on "devices" ("tenant_id", "mac");`,
  `create index "devices_tenant_model_index" on "devices" ("tenant_id", "model");`,
  `create index "devices_mac_trgm_index" on "devices" using gin ("mac" gin_trgm_ops);`,
  `create index "devices_model_trgm_index" on "devices" using gin (lower(coalesce(model, '')) gin_trgm_ops);`,
  `create index "device_last_seen_tenant_model_index" on "device_last_seen" ("tenant_id", "model");`,
  `create index "device_last_seen_model_trgm_index" on "device_last_seen" using gin (lower(model) gin_trgm_ops);`,
  `create index "device_lines_label_trgm_index" on "device_lines" using gin (lower(coalesce(label, '')) gin_trgm_ops);`,
  `create index "accounts_display_name_trgm_index" on "accounts" using gin ("display_name" gin_trgm_ops);`,
  `create index "accounts_extension_trgm_index" on "accounts" using gin ("extension" gin_trgm_ops);`,
  `create index "accounts_sip_username_trgm_index" on "accounts" using gin ("sip_username" gin_trgm_ops);`,
  `create index "accounts_email_trgm_index" on "accounts" using gin ("email" gin_trgm_ops);`,
  `create index "phone_numbers_e164_trgm_index" on "phone_numbers" using gin ("e164" gin_trgm_ops);`,
];

const INDEXES = [
  'devices_tenant_mac_index', 'devices_tenant_model_index', 'devices_mac_trgm_index', 'devices_model_trgm_index',
  'device_last_seen_tenant_model_index', 'device_last_seen_model_trgm_index', 'device_lines_label_trgm_index',
  'accounts_display_name_trgm_index', 'accounts_extension_trgm_index', 'accounts_sip_username_trgm_index', 'accounts_email_trgm_index',
  'phone_numbers_e164_trgm_index',
];

export class Migration20261207113000_list_search_indexes extends Migration {

  override async up(): Promise<void> {
    for (const sql of UP) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const name of INDEXES) this.addSql(`drop index if exists "${name}";`);
  }

}
