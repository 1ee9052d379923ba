import { Migration } from '@mikro-orm/migrations';

export class Migration20261123012850_directory extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "audit_entries" ("id" uuid not null, "tenant_id" uuid null, "entity_type" varchar(64) not null, "entity_id" varchar(64) not null, "action" text check ("action" in ('create', 'update', 'delete')) not null, "actor_token_id" uuid null, "actor_name" varchar(100) not null, "actor_role" varchar(16) not null, "before" jsonb null, "after" jsonb null, "created_at" timestamptz not null default now(), constraint "audit_entries_pkey" primary key ("id"));`);
    this.addSql(`create index "audit_entries_tenant_entity_index" on "audit_entries" ("tenant_id", "entity_type", "entity_id");`);
    this.addSql(`create index "audit_entries_tenant_created_index" on "audit_entries" ("tenant_id", "created_at");`);

    this.addSql(`create table "quarantined_numbers" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "e164" varchar(16) not null, "deleted_at" timestamptz not null default now(), constraint "quarantined_numbers_pkey" primary key ("id"));`);
    this.addSql(`alter table "quarantined_numbers" add constraint "quarantined_numbers_tenant_e164_unique" unique ("tenant_id", "e164");`);

    this.addSql(`create table "profiles" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "name" varchar(200) not null, "description" varchar(1000) null, "settings" jsonb not null default '{}', "raw_keys" jsonb not null default '{}', constraint "profiles_pkey" primary key ("id"));`);
    this.addSql(`alter table "profiles" add constraint "profiles_tenant_name_unique" unique ("tenant_id", "name");`);

    this.addSql(`create table "hunt_groups" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "name" varchar(200) not null, "extension" varchar(16) null, constraint "hunt_groups_pkey" primary key ("id"));`);
    this.addSql(`alter table "hunt_groups" add constraint "hunt_groups_tenant_extension_unique" unique ("tenant_id", "extension");`);
    this.addSql(`alter table "hunt_groups" add constraint "hunt_groups_tenant_name_unique" unique ("tenant_id", "name");`);

    this.addSql(`create table "devices" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "mac" varchar(12) not null, "vendor" text check ("vendor" in ('yealink', 'poly', 'cisco-mpp', 'cisco-enterprise', 'grandstream', 'snom', 'fanvil', 'gigaset')) not null, "model" varchar(64) null, "firmware" varchar(100) null, "status" text check ("status" in ('pending', 'active', 'disabled')) not null default 'active', "profile_id" uuid null, "overrides" jsonb not null default '{}', "provisioning_secret" varchar(128) not null, constraint "devices_pkey" primary key ("id"), constraint devices_mac_canonical check (mac ~ '^[0-9a-f]{12}\$'));`);
    this.addSql(`alter table "devices" add constraint "devices_mac_unique" unique ("mac");`);
    this.addSql(`create index "devices_profile_id_index" on "devices" ("profile_id");`);

    this.addSql(`create table "device_last_seen" ("device_id" uuid not null, "tenant_id" uuid not null, "seen_at" timestamptz not null, "ip" varchar(45) not null, "user_agent" varchar(300) null, "file" varchar(200) null, "served_hash" varchar(64) null, constraint "device_last_seen_pkey" primary key ("device_id"));`);

    this.addSql(`create table "classes_of_service" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "name" varchar(200) not null, "level" text check ("level" in ('internal', 'national', 'international')) not null, "description" varchar(1000) null, "blocked_prefixes" jsonb not null default '[]', "allowed_prefixes" jsonb not null default '[]', constraint "classes_of_service_pkey" primary key ("id"));`);
    this.addSql(`alter table "classes_of_service" add constraint "classes_of_service_tenant_name_unique" unique ("tenant_id", "name");`);

    this.addSql(`create table "phonemap_groups" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "token" varchar(64) not null, "name" varchar(200) not null, "class_of_service_id" uuid not null, constraint "phonemap_groups_pkey" primary key ("id"), constraint phonemap_groups_token_format check (token ~ '^[A-Za-z0-9_-]{1,64}\$'));`);
    this.addSql(`create index "phonemap_groups_class_of_service_id_index" on "phonemap_groups" ("class_of_service_id");`);
    this.addSql(`alter table "phonemap_groups" add constraint "phonemap_groups_tenant_token_unique" unique ("tenant_id", "token");`);

    this.addSql(`create table "groups" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "name" varchar(200) not null, "profile_id" uuid null, "class_of_service_id" uuid null, "street" varchar(200) null, "city" varchar(100) null, "state" varchar(100) null, "zip" varchar(20) null, "country" varchar(100) null, "admin_surname" varchar(100) null, "admin_name" varchar(100) null, "admin_role" varchar(100) null, "admin_phone" varchar(40) null, "admin_mobile" varchar(40) null, "admin_fax" varchar(40) null, "admin_it_email" varchar(254) null, constraint "groups_pkey" primary key ("id"));`);
    this.addSql(`alter table "groups" add constraint "groups_tenant_name_unique" unique ("tenant_id", "name");`);

    this.addSql(`create table "auto_attendants" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "name" varchar(200) not null, "extension" varchar(16) null, constraint "auto_attendants_pkey" primary key ("id"));`);
    this.addSql(`alter table "auto_attendants" add constraint "auto_attendants_tenant_extension_unique" unique ("tenant_id", "extension");`);
    this.addSql(`alter table "auto_attendants" add constraint "auto_attendants_tenant_name_unique" unique ("tenant_id", "name");`);

    this.addSql(`create table "accounts" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "home_group_id" uuid not null, "extension" varchar(16) not null, "sip_username" varchar(64) not null, "sip_password" varchar(128) not null, "display_name" varchar(200) not null, "email" varchar(254) null, "caller_id" varchar(40) null, "enabled" boolean not null default true, constraint "accounts_pkey" primary key ("id"));`);
    this.addSql(`create index "accounts_home_group_id_index" on "accounts" ("home_group_id");`);
    this.addSql(`alter table "accounts" add constraint "accounts_tenant_sip_username_unique" unique ("tenant_id", "sip_username");`);
    this.addSql(`alter table "accounts" add constraint "accounts_tenant_extension_unique" unique ("tenant_id", "extension");`);

    this.addSql(`create table "phone_numbers" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "e164" varchar(16) not null, "status" text check ("status" in ('unassigned', 'assigned')) not null default 'unassigned', "account_id" uuid null, "account_role" text check ("account_role" in ('primary', 'additional')) null, "hunt_group_id" uuid null, "auto_attendant_id" uuid null, constraint "phone_numbers_pkey" primary key ("id"), constraint phone_numbers_role_iff_account check ((account_id is null) = (account_role is null)), constraint phone_numbers_status_matches_assignee check ((status = 'assigned') = (num_nonnulls(account_id, hunt_group_id, auto_attendant_id) = 1)), constraint phone_numbers_one_assignee check (num_nonnulls(account_id, hunt_group_id, auto_attendant_id) <= 1), constraint phone_numbers_e164_format check (e164 ~ '^\\+[1-9][0-9]{6,14}\$'));`);
    this.addSql(`create index "phone_numbers_account_id_index" on "phone_numbers" ("account_id");`);
    this.addSql(`create index "phone_numbers_hunt_group_id_index" on "phone_numbers" ("hunt_group_id");`);
    this.addSql(`create index "phone_numbers_auto_attendant_id_index" on "phone_numbers" ("auto_attendant_id");`);
    this.addSql(`create index "phone_numbers_tenant_status_index" on "phone_numbers" ("tenant_id", "status");`);
    this.addSql(`create unique index "phone_numbers_one_primary_per_account" on "phone_numbers" ("account_id") where account_role = 'primary';`);
    this.addSql(`alter table "phone_numbers" add constraint "phone_numbers_tenant_e164_unique" unique ("tenant_id", "e164");`);

    this.addSql(`create table "group_shared_numbers" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "group_id" uuid not null, "number_id" uuid not null, constraint "group_shared_numbers_pkey" primary key ("id"));`);
    this.addSql(`create index "group_shared_numbers_number_id_index" on "group_shared_numbers" ("number_id");`);
    this.addSql(`alter table "group_shared_numbers" add constraint "group_shared_numbers_group_number_unique" unique ("group_id", "number_id");`);

    this.addSql(`create table "phonemap_members" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "phonemap_group_id" uuid not null, "account_id" uuid not null, "active" boolean not null default false, constraint "phonemap_members_pkey" primary key ("id"));`);
    this.addSql(`create index "phonemap_members_account_id_index" on "phonemap_members" ("account_id");`);
    this.addSql(`create unique index "phonemap_members_one_active_per_group" on "phonemap_members" ("phonemap_group_id") where active;`);
    this.addSql(`alter table "phonemap_members" add constraint "phonemap_members_group_account_unique" unique ("phonemap_group_id", "account_id");`);

    this.addSql(`create table "hunt_group_members" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "hunt_group_id" uuid not null, "account_id" uuid not null, "position" int not null, constraint "hunt_group_members_pkey" primary key ("id"), constraint hunt_group_members_position_positive check (position >= 1));`);
    this.addSql(`create index "hunt_group_members_account_id_index" on "hunt_group_members" ("account_id");`);
    this.addSql(`alter table "hunt_group_members" add constraint "hunt_group_members_hunt_group_account_unique" unique ("hunt_group_id", "account_id");`);

    this.addSql(`create table "group_members" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "group_id" uuid not null, "account_id" uuid not null, constraint "group_members_pkey" primary key ("id"));`);
    this.addSql(`create index "group_members_account_id_index" on "group_members" ("account_id");`);
    this.addSql(`alter table "group_members" add constraint "group_members_group_account_unique" unique ("group_id", "account_id");`);

    this.addSql(`create table "device_lines" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "device_id" uuid not null, "line_index" int not null, "account_id" uuid null, "phonemap_group_id" uuid null, "label" varchar(64) null, constraint "device_lines_pkey" primary key ("id"), constraint device_lines_one_binding check (num_nonnulls(account_id, phonemap_group_id) <= 1), constraint device_lines_index_positive check (line_index >= 1));`);
    this.addSql(`create index "device_lines_account_id_index" on "device_lines" ("account_id");`);
    this.addSql(`create index "device_lines_phonemap_group_id_index" on "device_lines" ("phonemap_group_id");`);
    this.addSql(`alter table "device_lines" add constraint "device_lines_device_index_unique" unique ("device_id", "line_index");`);

    this.addSql(`create table "auto_attendant_options" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "auto_attendant_id" uuid not null, "digit" varchar(1) not null, "target_account_id" uuid null, "target_hunt_group_id" uuid null, "external_number" varchar(16) null, constraint "auto_attendant_options_pkey" primary key ("id"), constraint auto_attendant_options_one_target check (num_nonnulls(target_account_id, target_hunt_group_id, external_number) = 1), constraint auto_attendant_options_digit_format check (digit ~ '^[0-9*#]\$'));`);
    this.addSql(`create index "auto_attendant_options_target_account_id_index" on "auto_attendant_options" ("target_account_id");`);
    this.addSql(`create index "auto_attendant_options_target_hunt_group_id_index" on "auto_attendant_options" ("target_hunt_group_id");`);
    this.addSql(`alter table "auto_attendant_options" add constraint "auto_attendant_options_attendant_digit_unique" unique ("auto_attendant_id", "digit");`);

    this.addSql(`alter table "quarantined_numbers" add constraint "quarantined_numbers_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "profiles" add constraint "profiles_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "hunt_groups" add constraint "hunt_groups_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "devices" add constraint "devices_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "devices" add constraint "devices_profile_id_foreign" foreign key ("profile_id") references "profiles" ("id") on update cascade on delete no action;`);

    this.addSql(`alter table "device_last_seen" add constraint "device_last_seen_device_id_foreign" foreign key ("device_id") references "devices" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "device_last_seen" add constraint "device_last_seen_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "classes_of_service" add constraint "classes_of_service_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "phonemap_groups" add constraint "phonemap_groups_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "phonemap_groups" add constraint "phonemap_groups_class_of_service_id_foreign" foreign key ("class_of_service_id") references "classes_of_service" ("id") on update cascade on delete no action;`);

    this.addSql(`alter table "groups" add constraint "groups_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "groups" add constraint "groups_profile_id_foreign" foreign key ("profile_id") references "profiles" ("id") on update cascade on delete no action;`);
    this.addSql(`alter table "groups" add constraint "groups_class_of_service_id_foreign" foreign key ("class_of_service_id") references "classes_of_service" ("id") on update cascade on delete no action;`);

    this.addSql(`alter table "auto_attendants" add constraint "auto_attendants_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "accounts" add constraint "accounts_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "accounts" add constraint "accounts_home_group_id_foreign" foreign key ("home_group_id") references "groups" ("id") on update cascade on delete no action;`);

    this.addSql(`alter table "phone_numbers" add constraint "phone_numbers_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "phone_numbers" add constraint "phone_numbers_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete no action;`);
    this.addSql(`alter table "phone_numbers" add constraint "phone_numbers_hunt_group_id_foreign" foreign key ("hunt_group_id") references "hunt_groups" ("id") on update cascade on delete no action;`);
    this.addSql(`alter table "phone_numbers" add constraint "phone_numbers_auto_attendant_id_foreign" foreign key ("auto_attendant_id") references "auto_attendants" ("id") on update cascade on delete no action;`);

    this.addSql(`alter table "group_shared_numbers" add constraint "group_shared_numbers_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "group_shared_numbers" add constraint "group_shared_numbers_group_id_foreign" foreign key ("group_id") references "groups" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "group_shared_numbers" add constraint "group_shared_numbers_number_id_foreign" foreign key ("number_id") references "phone_numbers" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "phonemap_members" add constraint "phonemap_members_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "phonemap_members" add constraint "phonemap_members_phonemap_group_id_foreign" foreign key ("phonemap_group_id") references "phonemap_groups" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "phonemap_members" add constraint "phonemap_members_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "hunt_group_members" add constraint "hunt_group_members_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "hunt_group_members" add constraint "hunt_group_members_hunt_group_id_foreign" foreign key ("hunt_group_id") references "hunt_groups" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "hunt_group_members" add constraint "hunt_group_members_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "group_members" add constraint "group_members_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "group_members" add constraint "group_members_group_id_foreign" foreign key ("group_id") references "groups" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "group_members" add constraint "group_members_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "device_lines" add constraint "device_lines_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "device_lines" add constraint "device_lines_device_id_foreign" foreign key ("device_id") references "devices" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "device_lines" add constraint "device_lines_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "device_lines" add constraint "device_lines_phonemap_group_id_foreign" foreign key ("phonemap_group_id") references "phonemap_groups" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "auto_attendant_options" add constraint "auto_attendant_options_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "auto_attendant_options" add constraint "auto_attendant_options_auto_attendant_id_foreign" foreign key ("auto_attendant_id") references "auto_attendants" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "auto_attendant_options" add constraint "auto_attendant_options_target_account_id_foreign" foreign key ("target_account_id") references "accounts" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "auto_attendant_options" add constraint "auto_attendant_options_target_hunt_group_id_foreign" foreign key ("target_hunt_group_id") references "hunt_groups" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "tenants" add column "default_country" varchar(2) null, add column "default_profile_id" uuid null;`);
    this.addSql(`alter table "tenants" add constraint "tenants_default_profile_id_foreign" foreign key ("default_profile_id") references "profiles" ("id") on update cascade on delete no action;`);
    this.addSql(`alter table "tenants" add constraint tenants_default_country_format check(default_country ~ '^[A-Z]{2}\$');`);

    // Hand-written: "at least one active member" cannot be a CHECK (it spans rows). A deferred
    // constraint trigger checks every touched PhoneMap group at commit, so an atomic switch
    // (deactivate A, activate B) passes while a commit leaving members but none active fails.
    // "At most one active" is the partial unique index phonemap_members_one_active_per_group.
    this.addSql(`create function phonemap_members_check_one_active() returns trigger language plpgsql as $fn$
declare
  touched uuid;
begin
  foreach touched in array array_remove(array[
    case when TG_OP <> 'INSERT' then OLD.phonemap_group_id end,
    case when TG_OP <> 'DELETE' then NEW.phonemap_group_id end
  ], null) loop
    if exists (select 1 from phonemap_members where phonemap_group_id = touched)
       and not exists (select 1 from phonemap_members where phonemap_group_id = touched and active) then
      raise exception 'phonemap group % has members but no active member', touched
        using errcode = '23514', constraint = 'phonemap_members_one_active';
    end if;
  end loop;
  return null;
end
$fn$;`);
    this.addSql(`create constraint trigger phonemap_members_one_active after insert or update or delete on "phonemap_members" deferrable initially deferred for each row execute function phonemap_members_check_one_active();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists phonemap_members_one_active on "phonemap_members";`);
    this.addSql(`drop function if exists phonemap_members_check_one_active();`);
    this.addSql(`alter table "tenants" drop constraint "tenants_default_profile_id_foreign";`);

    this.addSql(`alter table "devices" drop constraint "devices_profile_id_foreign";`);

    this.addSql(`alter table "groups" drop constraint "groups_profile_id_foreign";`);

    this.addSql(`alter table "phone_numbers" drop constraint "phone_numbers_hunt_group_id_foreign";`);

    this.addSql(`alter table "hunt_group_members" drop constraint "hunt_group_members_hunt_group_id_foreign";`);

    this.addSql(`alter table "auto_attendant_options" drop constraint "auto_attendant_options_target_hunt_group_id_foreign";`);

    this.addSql(`alter table "device_last_seen" drop constraint "device_last_seen_device_id_foreign";`);

    this.addSql(`alter table "device_lines" drop constraint "device_lines_device_id_foreign";`);

    this.addSql(`alter table "phonemap_groups" drop constraint "phonemap_groups_class_of_service_id_foreign";`);

    this.addSql(`alter table "groups" drop constraint "groups_class_of_service_id_foreign";`);

    this.addSql(`alter table "phonemap_members" drop constraint "phonemap_members_phonemap_group_id_foreign";`);

    this.addSql(`alter table "device_lines" drop constraint "device_lines_phonemap_group_id_foreign";`);

    this.addSql(`alter table "accounts" drop constraint "accounts_home_group_id_foreign";`);

    this.addSql(`alter table "group_shared_numbers" drop constraint "group_shared_numbers_group_id_foreign";`);

    this.addSql(`alter table "group_members" drop constraint "group_members_group_id_foreign";`);

    this.addSql(`alter table "phone_numbers" drop constraint "phone_numbers_auto_attendant_id_foreign";`);

    this.addSql(`alter table "auto_attendant_options" drop constraint "auto_attendant_options_auto_attendant_id_foreign";`);

    this.addSql(`alter table "phone_numbers" drop constraint "phone_numbers_account_id_foreign";`);

    this.addSql(`alter table "phonemap_members" drop constraint "phonemap_members_account_id_foreign";`);

    this.addSql(`alter table "hunt_group_members" drop constraint "hunt_group_members_account_id_foreign";`);

    this.addSql(`alter table "group_members" drop constraint "group_members_account_id_foreign";`);

    this.addSql(`alter table "device_lines" drop constraint "device_lines_account_id_foreign";`);

    this.addSql(`alter table "auto_attendant_options" drop constraint "auto_attendant_options_target_account_id_foreign";`);

    this.addSql(`alter table "group_shared_numbers" drop constraint "group_shared_numbers_number_id_foreign";`);

    this.addSql(`drop table if exists "audit_entries" cascade;`);

    this.addSql(`drop table if exists "quarantined_numbers" cascade;`);

    this.addSql(`drop table if exists "profiles" cascade;`);

    this.addSql(`drop table if exists "hunt_groups" cascade;`);

    this.addSql(`drop table if exists "devices" cascade;`);

    this.addSql(`drop table if exists "device_last_seen" cascade;`);

    this.addSql(`drop table if exists "classes_of_service" cascade;`);

    this.addSql(`drop table if exists "phonemap_groups" cascade;`);

    this.addSql(`drop table if exists "groups" cascade;`);

    this.addSql(`drop table if exists "auto_attendants" cascade;`);

    this.addSql(`drop table if exists "accounts" cascade;`);

    this.addSql(`drop table if exists "phone_numbers" cascade;`);

    this.addSql(`drop table if exists "group_shared_numbers" cascade;`);

    this.addSql(`drop table if exists "phonemap_members" cascade;`);

    this.addSql(`drop table if exists "hunt_group_members" cascade;`);

    this.addSql(`drop table if exists "group_members" cascade;`);

    this.addSql(`drop table if exists "device_lines" cascade;`);

    this.addSql(`drop table if exists "auto_attendant_options" cascade;`);

    this.addSql(`alter table "tenants" drop constraint tenants_default_country_format;`);
    this.addSql(`alter table "tenants" drop column "default_country", drop column "default_profile_id";`);
  }

}
