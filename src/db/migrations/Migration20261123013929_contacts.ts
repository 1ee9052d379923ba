import { Migration } from '@mikro-orm/migrations';

/** Phonebooks, contacts and their numbers, contact permissions and imports, with change capture on the contact tables. */
// Frozen: the literal SQL this migration applied, so history never changes with live code. New capture
// triggers are written with src/modules/pipeline/capture.sql.ts and pasted into a new migration the same way.
const UP: readonly string[] = [
  `create extension if not exists pg_trgm;`,
  `create table "phonebooks" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "name" varchar(200) not null, "is_default" boolean not null default false, "visibility" text check ("visibility" in ('all', 'groups')) not null default 'all', "token" varchar(64) not null, constraint "phonebooks_pkey" primary key ("id"));`,
  `alter table "phonebooks" add constraint "phonebooks_token_unique" unique ("token");`,
  `create unique index "phonebooks_one_default_per_tenant" on "phonebooks" ("tenant_id") where is_default;`,
  `alter table "phonebooks" add constraint "phonebooks_tenant_name_unique" unique ("tenant_id", "name");`,
  `create table "contact_permissions" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "role" text check ("role" in ('viewer', 'admin', 'owner')) not null, "permissions" jsonb not null, constraint "contact_permissions_pkey" primary key ("id"));`,
  `alter table "contact_permissions" add constraint "contact_permissions_tenant_role_unique" unique ("tenant_id", "role");`,
  `create table "contact_imports" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "status" text check ("status" in ('queued', 'running', 'done', 'failed')) not null default 'queued', "format" text check ("format" in ('csv', 'vcard')) not null, "dry_run" boolean not null, "duplicates" text check ("duplicates" in ('merge', 'report')) not null, "phonebook_id" uuid null, "file_path" varchar(500) null, "total_bytes" int not null default 0, "bytes_read" int not null default 0, "rows_read" int not null default 0, "created" int not null default 0, "merged" int not null default 0, "duplicates_found" int not null default 0, "failed" int not null default 0, "checkpoint_line" int not null default 0, "errors" jsonb not null default '[]', "error_count" int not null default 0, "failure" text null, "finished_at" timestamptz null, constraint "contact_imports_pkey" primary key ("id"));`,
  `create index "contact_imports_phonebook_id_index" on "contact_imports" ("phonebook_id");`,
  `create table "contacts" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "first_name" varchar(100) null, "last_name" varchar(100) null, "company" varchar(100) null, "title" varchar(100) null, "email" varchar(254) null, "search_text" text not null, "dedupe_key" varchar(32) not null, constraint "contacts_pkey" primary key ("id"));`,
  `create index "contacts_search_text_trgm_index" on "contacts" using gin ("search_text" gin_trgm_ops);`,
  `create index "contacts_tenant_sort_index" on "contacts" ("tenant_id", coalesce(last_name, ''), coalesce(first_name, ''), "id");`,
  `create index "contacts_tenant_dedupe_key_index" on "contacts" ("tenant_id", "dedupe_key");`,
  `create table "phonebook_contacts" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "phonebook_id" uuid not null, "contact_id" uuid not null, constraint "phonebook_contacts_pkey" primary key ("id"));`,
  `create index "phonebook_contacts_contact_id_index" on "phonebook_contacts" ("contact_id");`,
  `alter table "phonebook_contacts" add constraint "phonebook_contacts_phonebook_contact_unique" unique ("phonebook_id", "contact_id");`,
  `create table "contact_numbers" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "contact_id" uuid not null, "type" text check ("type" in ('work', 'mobile', 'home', 'fax', 'other')) not null, "number" varchar(32) not null, "position" int not null, constraint "contact_numbers_pkey" primary key ("id"));`,
  `create index "contact_numbers_contact_position_index" on "contact_numbers" ("contact_id", "position");`,
  `create table "phonebook_groups" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "phonebook_id" uuid not null, "group_id" uuid not null, constraint "phonebook_groups_pkey" primary key ("id"));`,
  `create index "phonebook_groups_group_id_index" on "phonebook_groups" ("group_id");`,
  `alter table "phonebook_groups" add constraint "phonebook_groups_phonebook_group_unique" unique ("phonebook_id", "group_id");`,
  `alter table "phonebooks" add constraint "phonebooks_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
  `alter table "contact_permissions" add constraint "contact_permissions_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
  `alter table "contact_imports" add constraint "contact_imports_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
  `alter table "contact_imports" add constraint "contact_imports_phonebook_id_foreign" foreign key ("phonebook_id") references "phonebooks" ("id") on update cascade on delete set null;`,
  `alter table "contacts" add constraint "contacts_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
  `alter table "phonebook_contacts" add constraint "phonebook_contacts_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
  `alter table "phonebook_contacts" add constraint "phonebook_contacts_phonebook_id_foreign" foreign key ("phonebook_id") references "phonebooks" ("id") on update cascade on delete cascade;`,
  `alter table "phonebook_contacts" add constraint "phonebook_contacts_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on update cascade on delete cascade;`,
  `alter table "contact_numbers" add constraint "contact_numbers_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
  `alter table "contact_numbers" add constraint "contact_numbers_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on update cascade on delete cascade;`,
  `alter table "phonebook_groups" add constraint "phonebook_groups_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
  `alter table "phonebook_groups" add constraint "phonebook_groups_phonebook_id_foreign" foreign key ("phonebook_id") references "phonebooks" ("id") on update cascade on delete cascade;`,
  `alter table "phonebook_groups" add constraint "phonebook_groups_group_id_foreign" foreign key ("group_id") references "groups" ("id") on update cascade on delete cascade;`,
  `create trigger provd_capture after insert or update or delete on "contacts" for each row execute function provd_capture('id');`,
  `create trigger provd_capture after insert or update or delete on "contact_numbers" for each row execute function provd_capture('contact_id');`,
  `create trigger provd_capture after insert or update or delete on "phonebooks" for each row execute function provd_capture('id');`,
  `create trigger provd_capture after insert or update or delete on "phonebook_contacts" for each row execute function provd_capture('phonebook_id', 'contact_id');`,
  `create trigger provd_capture after insert or update or delete on "phonebook_groups" for each row execute function provd_capture('phonebook_id', 'group_id');`,
];

const DOWN: readonly string[] = [
  `drop trigger if exists provd_capture on "contacts";`,
  `drop trigger if exists provd_capture on "contact_numbers";`,
  `drop trigger if exists provd_capture on "phonebooks";`,
  `drop trigger if exists provd_capture on "phonebook_contacts";`,
  `drop trigger if exists provd_capture on "phonebook_groups";`,
  `alter table "contact_imports" drop constraint "contact_imports_phonebook_id_foreign";`,
  `alter table "phonebook_contacts" drop constraint "phonebook_contacts_phonebook_id_foreign";`,
  `alter table "phonebook_groups" drop constraint "phonebook_groups_phonebook_id_foreign";`,
  `alter table "phonebook_contacts" drop constraint "phonebook_contacts_contact_id_foreign";`,
  `alter table "contact_numbers" drop constraint "contact_numbers_contact_id_foreign";`,
  `drop table if exists "phonebooks" cascade;`,
  `drop table if exists "contact_permissions" cascade;`,
  `drop table if exists "contact_imports" cascade;`,
  `drop table if exists "contacts" cascade;`,
  `drop table if exists "phonebook_contacts" cascade;`,
  `drop table if exists "contact_numbers" cascade;`,
  `drop table if exists "phonebook_groups" cascade;`,
  `drop extension if exists pg_trgm;`,
];

export class Migration20261123013929_contacts extends Migration {
  override async up(): Promise<void> {
    for (const sql of UP) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const sql of DOWN) this.addSql(sql);
  }
}
