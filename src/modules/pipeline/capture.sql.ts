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
  const args = [
    ...keyColumns.map(quoteLiteral),
    ...(ignoreColumns.length ? ["'--ignore'", ...ignoreColumns.map(quoteLiteral)] : []),
  ];
  return `create trigger provd_capture after insert or update or delete on "${table}" for each row execute function provd_capture(${args.join(', ')});`;
}

export function dropCaptureTriggerSql(table: string): string {
  return `drop trigger if exists provd_capture on "${table}";`;
}

/**
 * Set-based change capture for tables written in bulk (contact imports write thousands of
 * contact and number rows per statement). Statement triggers with transition tables record one
 * outbox row per tenant and up to CAPTURE_SET_CHUNK changed rows, each key column holding the
 * array of its distinct values (`old_<col>` for the old values of rows whose key moved), instead
 * of one row per changed row. Fan-out reads arrays and single values alike (collectKeys), so the
 * targets are the same; the outbox, the relay and the WAL see a few hundred times fewer rows.
 * An update that changes nothing (ignoring columns after '--ignore') is not captured.
 * Tables captured this way need an `id` primary key (it pairs old and new rows of an update).
 */
export const CAPTURE_SET_CHUNK = 500;

export const CAPTURE_SET_FUNCTION_SQL = `
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
    TG_TABLE_NAME, left(TG_OP, 1), '''{}''::jsonb' || keys_sql, ${CAPTURE_SET_CHUNK}, changed)
  using ignored;
  get diagnostics wrote = row_count;
  if wrote > 0 then
    perform pg_notify('${OUTBOX_CHANNEL}', '');
  end if;
  return null;
end
$fn$;`;

const SET_EVENTS = [
  { suffix: 'ins', event: 'insert', referencing: 'new table as provd_new' },
  { suffix: 'upd', event: 'update', referencing: 'old table as provd_old new table as provd_new' },
  { suffix: 'del', event: 'delete', referencing: 'old table as provd_old' },
] as const;

/**
 * SQL attaching the set-based capture to one table: one statement trigger per event, since a
 * trigger with transition tables may have only one event.
 */
export function captureSetTriggersSql(table: string, keyColumns: string[], ignoreColumns: string[] = []): string[] {
  const args = [
    ...keyColumns.map(quoteLiteral),
    ...(ignoreColumns.length ? ["'--ignore'", ...ignoreColumns.map(quoteLiteral)] : []),
  ];
  return SET_EVENTS.map(
    ({ suffix, event, referencing }) =>
      `create trigger provd_capture_${suffix} after ${event} on "${table}" referencing ${referencing} for each statement execute function provd_capture_set(${args.join(', ')});`,
  );
}

export function dropCaptureSetTriggersSql(table: string): string[] {
  return SET_EVENTS.map(({ suffix }) => `drop trigger if exists provd_capture_${suffix} on "${table}";`);
}
