import { Migration } from '@mikro-orm/migrations';

export class Migration20261123011907_foundation extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "tenants" ("id" uuid not null, "slug" varchar(64) not null, "name" varchar(200) not null, "max_accounts" int not null default 2000, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "tenants_pkey" primary key ("id"));`);
    this.addSql(`alter table "tenants" add constraint "tenants_slug_unique" unique ("slug");`);

    this.addSql(`create table "api_tokens" ("id" uuid not null, "tenant_id" uuid null, "role" text check ("role" in ('platform', 'owner', 'admin', 'viewer')) not null, "name" varchar(100) not null, "token_hash" varchar(64) not null, "prefix" varchar(12) not null, "created_at" timestamptz not null default now(), "revoked_at" timestamptz null, constraint "api_tokens_pkey" primary key ("id"));`);
    this.addSql(`create index "api_tokens_tenant_id_index" on "api_tokens" ("tenant_id");`);
    this.addSql(`alter table "api_tokens" add constraint "api_tokens_token_hash_unique" unique ("token_hash");`);

    this.addSql(`alter table "api_tokens" add constraint "api_tokens_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_tokens" drop constraint "api_tokens_tenant_id_foreign";`);

    this.addSql(`drop table if exists "tenants" cascade;`);

    this.addSql(`drop table if exists "api_tokens" cascade;`);
  }

}
