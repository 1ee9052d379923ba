import { Migration } from '@mikro-orm/migrations';
import {
  CAPTURE_SET_FUNCTION_SQL,
  captureSetTriggersSql,
  captureTriggerSql,
  dropCaptureSetTriggersSql,
  dropCaptureTriggerSql,
} from '../../modules/pipeline/capture.sql.js';

/**
 * The contact tables an import writes thousands of rows into per statement move from the row
 * capture trigger to the set-based statement triggers (one outbox row per tenant and chunk of
 * changed rows). Same keys, so fan-out resolves the same targets.
 */
const SET_CAPTURED: [table: string, keys: string[]][] = [
  ['contacts', ['id']],
  ['contact_numbers', ['contact_id']],
  ['phonebook_contacts', ['phonebook_id', 'contact_id']],
];

export class Migration20261123043500_capture_contacts_set extends Migration {

  override async up(): Promise<void> {
    this.addSql(CAPTURE_SET_FUNCTION_SQL);
    for (const [table, keys] of SET_CAPTURED) {
      this.addSql(dropCaptureTriggerSql(table));
      for (const sql of captureSetTriggersSql(table, keys)) this.addSql(sql);
    }
  }

  override async down(): Promise<void> {
    for (const [table, keys] of SET_CAPTURED) {
      for (const sql of dropCaptureSetTriggersSql(table)) this.addSql(sql);
      this.addSql(captureTriggerSql(table, keys));
    }
    this.addSql(`drop function if exists provd_capture_set();`);
  }

}
