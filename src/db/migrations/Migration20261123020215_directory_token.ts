import { Migration } from '@mikro-orm/migrations';

export class Migration20261123020215_directory_token extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "tenants" add column "directory_token" varchar(64) not null default replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');`);
    this.addSql(`alter table "tenants" add constraint "tenants_directory_token_unique" unique ("directory_token");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "tenants" drop constraint "tenants_directory_token_unique";`);
    this.addSql(`alter table "tenants" drop column "directory_token";`);
  }

}
