import type { JobPayload } from '../../../queues/catalogue.js';

export type ResyncPayload = JobPayload<'notify', 'notify.resync'>;

/**
 * The devices an admin resync covers, as a condition on `devices d` with its bindings. A group
 * covers the devices of its home accounts and of its extra members, a line bound to a PhoneMap
 * group counting through its active member (the same reach a group change has in fan-out).
 */
export function resyncScopeSql(payload: ResyncPayload): { sql: string; bindings: unknown[] } {
  switch (payload.scope) {
    case 'device':
      return { sql: `d.tenant_id = ? and d.id = ?::uuid`, bindings: [payload.tenantId, payload.refId] };
    case 'group':
      return {
        sql: `d.tenant_id = ? and d.id in (
                select l.device_id from device_lines l
                  left join accounts a on a.id = l.account_id
                  left join phonemap_members pm on pm.phonemap_group_id = l.phonemap_group_id and pm.active
                  left join accounts pa on pa.id = pm.account_id
                 where l.tenant_id = ? and coalesce(a.id, pa.id) in (
                   select id from accounts where home_group_id = ?::uuid
                   union select account_id from group_members where group_id = ?::uuid))`,
        bindings: [payload.tenantId, payload.tenantId, payload.refId, payload.refId],
      };
    case 'tenant':
      return { sql: `d.tenant_id = ?`, bindings: [payload.tenantId] };
  }
}

/** A chosen set of the tenant's devices (the console's bulk resync), in the same shape. */
export function devicesScopeSql(tenantId: string, deviceIds: string[]): { sql: string; bindings: unknown[] } {
  return { sql: `d.tenant_id = ? and d.id = any(?::uuid[])`, bindings: [tenantId, deviceIds] };
}
