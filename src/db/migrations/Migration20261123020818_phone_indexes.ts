import { Migration } from '@mikro-orm/migrations';

export class Migration20261123020818_phone_indexes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "artifacts_updated_at_index" on "artifacts" ("updated_at");`);

    this.addSql(`create index "devices_updated_at_index" on "devices" ("updated_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "artifacts_updated_at_index";`);

    this.addSql(`drop index "devices_updated_at_index";`);
  }

}
