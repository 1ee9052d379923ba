import { Migration } from '@mikro-orm/migrations';

export class Migration20261207081500_console_links extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "console_links" ("id" uuid not null, "user_id" uuid not null, "tenant_id" uuid not null, "kind" text check ("kind" in ('invite', 'reset')) not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "console_links_pkey" primary key ("id"));`);
    this.addSql(`create index "console_links_user_id_index" on "console_links" ("user_id");`);
    this.addSql(`create index "console_links_tenant_id_index" on "console_links" ("tenant_id");`);
    this.addSql(`alter table "console_links" add constraint "console_links_token_hash_unique" unique ("token_hash");`);

    this.addSql(`alter table "console_links" add constraint "console_links_user_id_foreign" foreign key ("user_id") references "console_users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "console_links" add constraint "console_links_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "audit_entries" alter column "actor_name" type varchar(300) using ("actor_name"::varchar(300));`);

    this.addSql(`alter table "console_users" add column "last_sign_in_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "console_links" cascade;`);

    this.addSql(`alter table "audit_entries" alter column "actor_name" type varchar(100) using ("actor_name"::varchar(100));`);

    this.addSql(`alter table "console_users" drop column "last_sign_in_at";`);
  }

}
