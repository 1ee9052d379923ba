import { Migration } from '@mikro-orm/migrations';

/** API tokens may expire, and remember their last use (to the minute). */
export class Migration20261207080000_api_token_expiry extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "api_tokens" add column "expires_at" timestamptz null, add column "last_used_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_tokens" drop column "expires_at", drop column "last_used_at";`);
  }

}
