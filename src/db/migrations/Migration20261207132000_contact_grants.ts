import { Migration } from '@mikro-orm/migrations';

// Contact permissions per user (account) and per group; captured so devices re-render when the
// entry that opens the phone contacts app appears or goes.
const UP: readonly string[] = [
  `create table "contact_grants" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "account_id" uuid null, "group_id" uuid null, "permissions" jsonb not null, constraint "contact_grants_pkey" primary key ("id"), constraint contact_grants_one_subject check (num_nonnulls(account_id, group_id) = 1));`,
  `alter table "contact_grants" add constraint "contact_grants_account_unique" unique ("account_id");`,
  `alter table "contact_grants" add constraint "contact_grants_group_unique" unique ("group_id");`,
  `alter table "contact_grants" add constraint "contact_grants_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
  `alter table "contact_grants" add constraint "contact_grants_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`,
  `alter table "contact_grants" add constraint "contact_grants_group_id_foreign" foreign key ("group_id") references "groups" ("id") on update cascade on delete cascade;`,
  `create trigger provd_capture after insert or update or delete on "contact_grants" for each row execute function provd_capture('account_id', 'group_id');`,
];

export class Migration20261207132000_contact_grants extends Migration {
  override async up(): Promise<void> {
    for (const sql of UP) this.addSql(sql);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "contact_grants" cascade;`);
  }
}
