import { Migration } from '@mikro-orm/migrations';

/** Artifacts, the change outbox, render targets and the row capture function of the pipeline. */
// Frozen: the literal SQL this migration applied, so history never changes with live code. New capture
// triggers are written with src/modules/pipeline/capture.sql.ts and pasted into a new migration the same way.
const UP: readonly string[] = [
  `create table "artifacts" ("id" bigserial primary key, "target_id" bigint not null, "serve_path" varchar(300) not null, "content_type" varchar(100) not null, "body" bytea not null, "sha256" varchar(64) not null, "generation" bigint not null, "carries_secrets" boolean not null default false, "updated_at" timestamptz not null default now());`,
  `create index "artifacts_target_id_index" on "artifacts" ("target_id");`,
  `alter table "artifacts" add constraint "artifacts_serve_path_unique" unique ("serve_path");`,
  `create table "change_outbox" ("id" bigserial primary key, "tenant_id" uuid null, "table_name" varchar(63) not null, "op" varchar(1) not null, "keys" jsonb not null, "created_at" timestamptz not null default now());`,
  `create index "change_outbox_tenant_id_index" on "change_outbox" ("tenant_id");`,
  `create table "render_targets" ("id" bigserial primary key, "target_key" varchar(200) not null, "tenant_id" uuid not null, "kind" varchar(16) not null, "ref_id" uuid not null, "format" varchar(32) null, "desired_gen" bigint not null default 1, "rendered_gen" bigint not null default 0, "rendered_hash" varchar(64) null, "state" varchar(16) not null default 'pending', "last_error" text null, "warnings" jsonb null, "failures" int not null default 0, "rendered_at" timestamptz null, "updated_at" timestamptz not null default now());`,
  `alter table "render_targets" add constraint "render_targets_target_key_unique" unique ("target_key");`,
  `create index "render_targets_tenant_id_kind_index" on "render_targets" ("tenant_id", "kind");`,
  `
create or replace function provd_capture() returns trigger language plpgsql as $fn$
declare
  new_row jsonb;
  old_row jsonb;
  keys jsonb := '{}'::jsonb;
  ignored text[] := '{}';
  key_cols text[] := '{}';
  col text;
  past_marker boolean := false;
begin
  foreach col in array TG_ARGV loop
    if col = '--ignore' then
      past_marker := true;
    elsif past_marker then
      ignored := ignored || col;
    else
      key_cols := key_cols || col;
    end if;
  end loop;
  if TG_OP <> 'DELETE' then new_row := to_jsonb(NEW); end if;
  if TG_OP <> 'INSERT' then old_row := to_jsonb(OLD); end if;
  if TG_OP = 'UPDATE' and (new_row - ignored) = (old_row - ignored) then
    return null;
  end if;
  foreach col in array key_cols loop
    if new_row is not null and new_row ? col then
      keys := keys || jsonb_build_object(col, new_row -> col);
    end if;
    if old_row is not null and old_row ? col and (new_row is null or (new_row -> col) is distinct from (old_row -> col)) then
      keys := keys || jsonb_build_object(case when new_row is null then col else 'old_' || col end, old_row -> col);
    end if;
  end loop;
  insert into change_outbox (tenant_id, table_name, op, keys)
  values (
    coalesce((new_row ->> 'tenant_id')::uuid, (old_row ->> 'tenant_id')::uuid),
    TG_TABLE_NAME,
    left(TG_OP, 1),
    keys
  );
  perform pg_notify('provd_outbox', '');
  return null;
end
$fn$;`,
];

const DOWN: readonly string[] = [
  `drop function if exists provd_capture() cascade;`,
  `drop table if exists "artifacts" cascade;`,
  `drop table if exists "change_outbox" cascade;`,
  `drop table if exists "render_targets" cascade;`,
];

export class Migration20261123012816_pipeline extends Migration {
  override async up(): Promise<void> {
    for (const sql of UP) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const sql of DOWN) this.addSql(sql);
  }
}
