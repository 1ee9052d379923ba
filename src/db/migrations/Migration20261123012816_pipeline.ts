import { Migration } from '@mikro-orm/migrations';
import { CAPTURE_FUNCTION_SQL } from '../../modules/pipeline/capture.sql.js';

export class Migration20261123012816_pipeline extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "artifacts" ("id" bigserial primary key, "target_id" bigint not null, "serve_path" varchar(300) not null, "content_type" varchar(100) not null, "body" bytea not null, "sha256" varchar(64) not null, "generation" bigint not null, "carries_secrets" boolean not null default false, "updated_at" timestamptz not null default now());`);
    this.addSql(`create index "artifacts_target_id_index" on "artifacts" ("target_id");`);
    this.addSql(`alter table "artifacts" add constraint "artifacts_serve_path_unique" unique ("serve_path");`);

    this.addSql(`create table "change_outbox" ("id" bigserial primary key, "tenant_id" uuid null, "table_name" varchar(63) not null, "op" varchar(1) not null, "keys" jsonb not null, "created_at" timestamptz not null default now());`);
    this.addSql(`create index "change_outbox_tenant_id_index" on "change_outbox" ("tenant_id");`);

    this.addSql(`create table "render_targets" ("id" bigserial primary key, "target_key" varchar(200) not null, "tenant_id" uuid not null, "kind" varchar(16) not null, "ref_id" uuid not null, "format" varchar(32) null, "desired_gen" bigint not null default 1, "rendered_gen" bigint not null default 0, "rendered_hash" varchar(64) null, "state" varchar(16) not null default 'pending', "last_error" text null, "warnings" jsonb null, "failures" int not null default 0, "rendered_at" timestamptz null, "updated_at" timestamptz not null default now());`);
    this.addSql(`alter table "render_targets" add constraint "render_targets_target_key_unique" unique ("target_key");`);
    this.addSql(`create index "render_targets_tenant_id_kind_index" on "render_targets" ("tenant_id", "kind");`);

    // Generic change-capture trigger function; features attach it to their tables.
    this.addSql(CAPTURE_FUNCTION_SQL);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists provd_capture() cascade;`);
    this.addSql(`drop table if exists "artifacts" cascade;`);

    this.addSql(`drop table if exists "change_outbox" cascade;`);

    this.addSql(`drop table if exists "render_targets" cascade;`);
  }

}
