import { Migration } from '@mikro-orm/migrations';

/** Change capture on every directory table that can alter what a phone is served. */
// Frozen: the literal SQL this migration applied, so history never changes with live code. New capture
// triggers are written with src/modules/pipeline/capture.sql.ts and pasted into a new migration the same way.
const UP: readonly string[] = [
  `drop trigger if exists provd_capture on "tenants";`,
  `create trigger provd_capture after insert or update or delete on "tenants" for each row execute function provd_capture('id');`,
  `drop trigger if exists provd_capture on "profiles";`,
  `create trigger provd_capture after insert or update or delete on "profiles" for each row execute function provd_capture('id');`,
  `drop trigger if exists provd_capture on "classes_of_service";`,
  `create trigger provd_capture after insert or update or delete on "classes_of_service" for each row execute function provd_capture('id');`,
  `drop trigger if exists provd_capture on "groups";`,
  `create trigger provd_capture after insert or update or delete on "groups" for each row execute function provd_capture('id');`,
  `drop trigger if exists provd_capture on "group_members";`,
  `create trigger provd_capture after insert or update or delete on "group_members" for each row execute function provd_capture('group_id', 'account_id');`,
  `drop trigger if exists provd_capture on "group_shared_numbers";`,
  `create trigger provd_capture after insert or update or delete on "group_shared_numbers" for each row execute function provd_capture('group_id', 'number_id');`,
  `drop trigger if exists provd_capture on "accounts";`,
  `create trigger provd_capture after insert or update or delete on "accounts" for each row execute function provd_capture('id');`,
  `drop trigger if exists provd_capture on "phone_numbers";`,
  `create trigger provd_capture after insert or update or delete on "phone_numbers" for each row execute function provd_capture('id', 'account_id', 'hunt_group_id', 'auto_attendant_id');`,
  `drop trigger if exists provd_capture on "hunt_groups";`,
  `create trigger provd_capture after insert or update or delete on "hunt_groups" for each row execute function provd_capture('id');`,
  `drop trigger if exists provd_capture on "hunt_group_members";`,
  `create trigger provd_capture after insert or update or delete on "hunt_group_members" for each row execute function provd_capture('hunt_group_id', 'account_id');`,
  `drop trigger if exists provd_capture on "auto_attendants";`,
  `create trigger provd_capture after insert or update or delete on "auto_attendants" for each row execute function provd_capture('id');`,
  `drop trigger if exists provd_capture on "auto_attendant_options";`,
  `create trigger provd_capture after insert or update or delete on "auto_attendant_options" for each row execute function provd_capture('auto_attendant_id');`,
  `drop trigger if exists provd_capture on "phonemap_groups";`,
  `create trigger provd_capture after insert or update or delete on "phonemap_groups" for each row execute function provd_capture('id');`,
  `drop trigger if exists provd_capture on "phonemap_members";`,
  `create trigger provd_capture after insert or update or delete on "phonemap_members" for each row execute function provd_capture('phonemap_group_id', 'account_id');`,
  `drop trigger if exists provd_capture on "devices";`,
  `create trigger provd_capture after insert or update or delete on "devices" for each row execute function provd_capture('id', '--ignore', 'firmware', 'updated_at');`,
  `drop trigger if exists provd_capture on "device_lines";`,
  `create trigger provd_capture after insert or update or delete on "device_lines" for each row execute function provd_capture('device_id', 'account_id', 'phonemap_group_id');`,
];

const DOWN: readonly string[] = [
  `drop trigger if exists provd_capture on "tenants";`,
  `drop trigger if exists provd_capture on "profiles";`,
  `drop trigger if exists provd_capture on "classes_of_service";`,
  `drop trigger if exists provd_capture on "groups";`,
  `drop trigger if exists provd_capture on "group_members";`,
  `drop trigger if exists provd_capture on "group_shared_numbers";`,
  `drop trigger if exists provd_capture on "accounts";`,
  `drop trigger if exists provd_capture on "phone_numbers";`,
  `drop trigger if exists provd_capture on "hunt_groups";`,
  `drop trigger if exists provd_capture on "hunt_group_members";`,
  `drop trigger if exists provd_capture on "auto_attendants";`,
  `drop trigger if exists provd_capture on "auto_attendant_options";`,
  `drop trigger if exists provd_capture on "phonemap_groups";`,
  `drop trigger if exists provd_capture on "phonemap_members";`,
  `drop trigger if exists provd_capture on "devices";`,
  `drop trigger if exists provd_capture on "device_lines";`,
];

export class Migration20261123021000_capture_directory extends Migration {
  override async up(): Promise<void> {
    for (const sql of UP) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const sql of DOWN) this.addSql(sql);
  }
}
