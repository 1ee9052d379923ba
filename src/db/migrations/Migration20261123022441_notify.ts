import { Migration } from '@mikro-orm/migrations';

export class Migration20261123022441_notify extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "device_sync" ("device_id" uuid not null, "tenant_id" uuid not null, "state" text check ("state" in ('never-seen', 'pending', 'notified', 'in-sync', 'stale')) not null default 'pending', "notified_at" timestamptz null, "attempts" int not null default 0, "last_outcome" varchar(300) null, "stale_reason" varchar(300) null, "updated_at" timestamptz not null default now(), constraint "device_sync_pkey" primary key ("device_id"));`);
    this.addSql(`create index "device_sync_tenant_state_index" on "device_sync" ("tenant_id", "state");`);

    this.addSql(`create table "tenant_notifier_settings" ("tenant_id" uuid not null, "driver" text check ("driver" in ('sip', 'asterisk-ami', 'freeswitch', 'none')) not null default 'none', "options" jsonb not null default '{}', "secret" varchar(500) null, "rate_per_second" int null, "updated_at" timestamptz not null default now(), constraint "tenant_notifier_settings_pkey" primary key ("tenant_id"));`);

    this.addSql(`alter table "device_sync" add constraint "device_sync_device_id_foreign" foreign key ("device_id") references "devices" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "device_sync" add constraint "device_sync_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "tenant_notifier_settings" add constraint "tenant_notifier_settings_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "device_sync" cascade;`);

    this.addSql(`drop table if exists "tenant_notifier_settings" cascade;`);
  }

}
