import type { Knex } from '@mikro-orm/postgresql';
import { PHONEBOOK_FORMATS } from '../render/phonebook/index.js';

/**
 * Creates the render targets that should exist but do not: devices and phonebooks from before a
 * target kind existed, or a phonebook format added in a release. Run when a relay starts; new
 * rows start lagging (desired 1, rendered 0), so the sweeper renders them.
 */
export async function backfillTargets(knex: Knex): Promise<number> {
  const formats = [...PHONEBOOK_FORMATS];
  const inserted = await knex.raw(
    `with wanted as (
       select 'device:' || d.id as target_key, d.tenant_id, 'device' as kind, d.id as ref_id, null::text as format from devices d
       union all
       select 'phonebook:' || p.id || ':' || f, p.tenant_id, 'phonebook', p.id, f from phonebooks p cross join unnest(?::text[]) f
       union all
       select 'directory:' || t.id || ':' || f, t.id, 'directory', t.id, f from tenants t cross join unnest(?::text[]) f
     )
     insert into render_targets (target_key, tenant_id, kind, ref_id, format, desired_gen, rendered_gen, state, updated_at)
     select target_key, tenant_id, kind, ref_id, format, 1, 0, 'pending', now() from wanted
     on conflict (target_key) do nothing
     returning id`,
    [formats, formats],
  );
  return inserted.rows.length;
}
