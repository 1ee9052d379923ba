/**
 * Change capture by triggers. One generic row trigger function records the key columns named in
 * the trigger's arguments (new values, plus `old_<col>` when a key moved) into change_outbox and
 * wakes relays with NOTIFY. Columns after '--ignore' do not count as a change (e.g. a device's
 * last-seen fields, written on every fetch, must not cause a re-render).
 */
export const OUTBOX_CHANNEL = 'provd_outbox';

export const CAPTURE_FUNCTION_SQL = `
create or replace function provd_capture() returns trigger language plpgsql as $fn$
declare
  new_row jsonb;
  old_row jsonb;
  keys jsonb := '{}'::jsonb;
  ignored text[] := '{}';
  key_cols text[] := '{}';
  col text;
  past_marker boolean := false;
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
  if TG_OP <> 'DELETE' then new_row := to_jsonb(NEW); end if;
  if TG_OP <> 'INSERT' then old_row := to_jsonb(OLD); end if;
  if TG_OP = 'UPDATE' and (new_row - ignored) = (old_row - ignored) then
    return null;
  end if;
  foreach col in array key_cols loop
    if new_row is not null and new_row ? col then
      keys := keys || jsonb_build_object(col, new_row -> col);
    end if;
    if old_row is not null and old_row ? col and (new_row is null or (new_row -> col) is distinct from (old_row -> col)) then
      keys := keys || jsonb_build_object(case when new_row is null then col else 'old_' || col end, old_row -> col);
    end if;
  end loop;
  insert into change_outbox (tenant_id, table_name, op, keys)
  values (
    coalesce((new_row ->> 'tenant_id')::uuid, (old_row ->> 'tenant_id')::uuid),
    TG_TABLE_NAME,
    left(TG_OP, 1),
    keys
  );
  perform pg_notify('${OUTBOX_CHANNEL}', '');
  return null;
end
$fn$;`;

function quoteLiteral(value: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(value)) throw new Error(`unsafe column name ${value}`);
  return `'${value}'`;
}

/** SQL attaching the capture trigger to one table. */
export function captureTriggerSql(table: string, keyColumns: string[], ignoreColumns: string[] = []): string {
  const args = [...keyColumns.map(quoteLiteral), ...(ignoreColumns.length ? ["'--ignore'", ...ignoreColumns.map(quoteLiteral)] : [])];
  return `create trigger provd_capture after insert or update or delete on "${table}" for each row execute function provd_capture(${args.join(', ')});`;
}

export function dropCaptureTriggerSql(table: string): string {
  return `drop trigger if exists provd_capture on "${table}";`;
}
