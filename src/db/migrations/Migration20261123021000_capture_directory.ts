import { Migration } from '@mikro-orm/migrations';
import { captureTriggerSql, dropCaptureTriggerSql } from '../../modules/pipeline/capture.sql.js';
import { CAPTURED_DIRECTORY_TABLES } from '../../modules/pipeline/resolvers/captured-tables.js';

/** Change capture on every directory table that can alter what a phone is served. */
export class Migration20261123021000_capture_directory extends Migration {
  override async up(): Promise<void> {
    for (const [table, keys, ignore] of CAPTURED_DIRECTORY_TABLES) {
      this.addSql(dropCaptureTriggerSql(table));
      this.addSql(captureTriggerSql(table, keys, ignore ?? []));
    }
  }

  override async down(): Promise<void> {
    for (const [table] of CAPTURED_DIRECTORY_TABLES) this.addSql(dropCaptureTriggerSql(table));
  }
}
