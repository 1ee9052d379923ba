import { Migration } from '@mikro-orm/migrations';

export class Migration20261207033000_console_users extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "console_users" ("id" uuid not null, "tenant_id" uuid null, "role" text check ("role" in ('platform', 'owner', 'admin', 'viewer')) not null, "email" varchar(254) not null, "password_hash" varchar(200) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "console_users_pkey" primary key ("id"), constraint "console_users_email_lower" check ("email" = lower("email")), constraint "console_users_tenant_role" check (("role" = 'platform') = ("tenant_id" is null)));`);
    this.addSql(`alter table "console_users" add constraint "console_users_email_unique" unique ("email");`);
    this.addSql(`create index "console_users_tenant_id_index" on "console_users" ("tenant_id");`);
    this.addSql(`alter table "console_users" add constraint "console_users_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "console_users" cascade;`);
  }

}
