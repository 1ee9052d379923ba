import { Migration } from '@mikro-orm/migrations';

/*
 * Human names sort by the Unicode root collation (ICU "und-x-icu", CLDR order), not by byte value:
 * with the C collation of the database, lower-case names and Ä/É sorted after Z in every list and in
 * the phonebook files. Setting the collation on the columns (not in each query) makes every ORDER BY,
 * keyset comparison and index on them agree, in ORM and raw SQL alike. The ICU root collation is
 * deterministic, so equality (unique names, dedupe) stays byte equality. Tenants have no locale
 * setting yet, so one root order serves all of them. Postgres must be built with ICU (the default
 * since Postgres 16, and the embedded and official Docker builds are).
 */
const COLUMNS: [table: string, column: string, type: string][] = [
  ['contacts', 'first_name', 'varchar(100)'],
  ['contacts', 'last_name', 'varchar(100)'],
  ['contacts', 'company', 'varchar(100)'],
  ['contacts', 'title', 'varchar(100)'],
  ['phonebooks', 'name', 'varchar(200)'],
  ['groups', 'name', 'varchar(200)'],
  ['accounts', 'display_name', 'varchar(200)'],
  ['hunt_groups', 'name', 'varchar(200)'],
  ['auto_attendants', 'name', 'varchar(200)'],
  ['profiles', 'name', 'varchar(200)'],
  ['classes_of_service', 'name', 'varchar(200)'],
  ['phonemap_groups', 'name', 'varchar(200)'],
  ['tenants', 'name', 'varchar(200)'],
];

export class Migration20261207110000_name_collation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`do $$ begin
      if not exists (select 1 from pg_collation where collname = 'und-x-icu') then
        raise exception 'this Postgres has no ICU collation "und-x-icu": names need a Postgres built with ICU (the default since Postgres 16)';
      end if;
    end $$;`);
    for (const [table, column, type] of COLUMNS) this.addSql(`alter table "${table}" alter column "${column}" type ${type} collate "und-x-icu";`);
  }

  override async down(): Promise<void> {
    for (const [table, column, type] of COLUMNS) this.addSql(`alter table "${table}" alter column "${column}" type ${type} collate "default";`);
  }
}
