import { Migration } from '@mikro-orm/migrations';

export class Migration20261123020323_phone_allow_list extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "device_fetches" ("device_id" uuid not null, "serve_path" varchar(300) not null, "sha256" varchar(64) not null, "fetched_at" timestamptz not null, constraint "device_fetches_pkey" primary key ("device_id", "serve_path"));`);

    this.addSql(`alter table "device_fetches" add constraint "device_fetches_device_id_foreign" foreign key ("device_id") references "devices" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "tenants" add column "phone_allow_cidrs" text[] null;`);

    this.addSql(`alter table "device_last_seen" add column "firmware" varchar(100) null, add column "model" varchar(64) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "device_fetches" cascade;`);

    this.addSql(`alter table "device_last_seen" drop column "firmware", drop column "model";`);

    this.addSql(`alter table "tenants" drop column "phone_allow_cidrs";`);
  }

}
