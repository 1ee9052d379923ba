import { Migration } from '@mikro-orm/migrations';

/**
 * The contact tables an import writes thousands of rows into per statement move from the row
 * capture trigger to the set-based statement triggers (one outbox row per tenant and chunk of
 * changed rows). Same keys, so fan-out resolves the same targets.
 */
// Frozen: the literal SQL this migration applied, so history never changes with live code. New capture
// triggers are written with src/modules/pipeline/capture.sql.ts and pasted into a new migration the same way.
const UP: readonly string[] = [
  `
create or replace function provd_capture_set() returns trigger language plpgsql as $fn$
declare
  ignored text[] := '{}';
  key_cols text[] := '{}';
  col text;
  past_marker boolean := false;
  new_keys text := '';
  old_keys text := '';
  changed text;
  keys_sql text := '';
  wrote integer;
begin
  foreach col in array TG_ARGV loop
    if col = '--ignore' then
      past_marker := true;
    elsif past_marker then
      ignored := ignored || col;
    else
      key_cols := key_cols || col;
    end if;
  end loop;
  foreach col in array key_cols loop
    new_keys := new_keys || format(', %L, n.%I', col, col);
    old_keys := old_keys || format(', %L, o.%I', col, col);
  end loop;
  new_keys := 'jsonb_build_object(' || substr(new_keys, 3) || ')';
  old_keys := 'jsonb_build_object(' || substr(old_keys, 3) || ')';
  -- One row per captured row change: its tenant and its key columns, new and old.
  if TG_OP = 'INSERT' then
    changed := format('select n.tenant_id, %s as new_keys, null::jsonb as old_keys from provd_new n', new_keys);
  elsif TG_OP = 'DELETE' then
    changed := format('select o.tenant_id, null::jsonb as new_keys, %s as old_keys from provd_old o', old_keys);
  else
    changed := format('select n.tenant_id, %s as new_keys, %s as old_keys from provd_new n join provd_old o on o.id = n.id'
      || ' where (to_jsonb(n) - $1) <> (to_jsonb(o) - $1)', new_keys, old_keys);
  end if;
  foreach col in array key_cols loop
    if TG_OP = 'DELETE' then
      keys_sql := keys_sql || format(' || jsonb_strip_nulls(jsonb_build_object(%L, jsonb_agg(distinct old_keys -> %L) filter (where old_keys ->> %L is not null)))', col, col, col);
    else
      keys_sql := keys_sql || format(' || jsonb_strip_nulls(jsonb_build_object(%L, jsonb_agg(distinct new_keys -> %L) filter (where new_keys ->> %L is not null)))', col, col, col);
    end if;
    if TG_OP = 'UPDATE' then
      keys_sql := keys_sql || format(' || jsonb_strip_nulls(jsonb_build_object(%L, jsonb_agg(distinct old_keys -> %L)'
        || ' filter (where old_keys ->> %L is not null and (new_keys -> %L) is distinct from (old_keys -> %L))))', 'old_' || col, col, col, col, col);
    end if;
  end loop;
  execute format(
    'insert into change_outbox (tenant_id, table_name, op, keys)'
    || ' select tenant_id, %L, %L, %s'
    || ' from (select c.*, (row_number() over (partition by tenant_id) - 1) / %s as chunk from (%s) c) numbered'
    || ' group by tenant_id, chunk order by tenant_id, chunk',
    TG_TABLE_NAME, left(TG_OP, 1), '''{}''::jsonb' || keys_sql, 500, changed)
  using ignored;
  get diagnostics wrote = row_count;
  if wrote > 0 then
    perform pg_notify('provd_outbox', '');
  end if;
  return null;
end
$fn$;`,
  `drop trigger if exists provd_capture on "contacts";`,
  `create trigger provd_capture_ins after insert on "contacts" referencing new table as provd_new for each statement execute function provd_capture_set('id');`,
  `create trigger provd_capture_upd after update on "contacts" referencing old table as provd_old new table as provd_new for each statement execute function provd_capture_set('id');`,
  `create trigger provd_capture_del after delete on "contacts" referencing old table as provd_old for each statement execute function provd_capture_set('id');`,
  `drop trigger if exists provd_capture on "contact_numbers";`,
  `create trigger provd_capture_ins after insert on "contact_numbers" referencing new table as provd_new for each statement execute function provd_capture_set('contact_id');`,
  `create trigger provd_capture_upd after update on "contact_numbers" referencing old table as provd_old new table as provd_new for each statement execute function provd_capture_set('contact_id');`,
  `create trigger provd_capture_del after delete on "contact_numbers" referencing old table as provd_old for each statement execute function provd_capture_set('contact_id');`,
  `drop trigger if exists provd_capture on "phonebook_contacts";`,
  `create trigger provd_capture_ins after insert on "phonebook_contacts" referencing new table as provd_new for each statement execute function provd_capture_set('phonebook_id', 'contact_id');`,
  `create trigger provd_capture_upd after update on "phonebook_contacts" referencing old table as provd_old new table as provd_new for each statement execute function provd_capture_set('phonebook_id', 'contact_id');`,
  `create trigger provd_capture_del after delete on "phonebook_contacts" referencing old table as provd_old for each statement execute function provd_capture_set('phonebook_id', 'contact_id');`,
];

const DOWN: readonly string[] = [
  `drop trigger if exists provd_capture_ins on "contacts";`,
  `drop trigger if exists provd_capture_upd on "contacts";`,
  `drop trigger if exists provd_capture_del on "contacts";`,
  `create trigger provd_capture after insert or update or delete on "contacts" for each row execute function provd_capture('id');`,
  `drop trigger if exists provd_capture_ins on "contact_numbers";`,
  `drop trigger if exists provd_capture_upd on "contact_numbers";`,
  `drop trigger if exists provd_capture_del on "contact_numbers";`,
  `create trigger provd_capture after insert or update or delete on "contact_numbers" for each row execute function provd_capture('contact_id');`,
  `drop trigger if exists provd_capture_ins on "phonebook_contacts";`,
  `drop trigger if exists provd_capture_upd on "phonebook_contacts";`,
  `drop trigger if exists provd_capture_del on "phonebook_contacts";`,
  `create trigger provd_capture after insert or update or delete on "phonebook_contacts" for each row execute function provd_capture('phonebook_id', 'contact_id');`,
  `drop function if exists provd_capture_set();`,
];

export class Migration20261123043500_capture_contacts_set extends Migration {
  override async up(): Promise<void> {
    for (const sql of UP) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const sql of DOWN) this.addSql(sql);
  }
}
