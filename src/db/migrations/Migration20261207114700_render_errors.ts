import { Migration } from '@mikro-orm/migrations';

/**
 * A failed render remembers why (a stable code next to the message), when, and for which
 * generation, so the sync state and the fleet summary can show a device that cannot be rendered
 * instead of one that merely never booted. A successful render clears all three.
 */
export class Migration20261207114700_render_errors extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "render_targets" add column "last_error_code" varchar(64) null, add column "last_error_at" timestamptz null, add column "last_error_gen" bigint null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "render_targets" drop column "last_error_code", drop column "last_error_at", drop column "last_error_gen";`);
  }

}
