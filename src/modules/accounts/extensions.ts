import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError } from '../../errors/errors.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';

export type ExtensionOwner = 'account' | 'hunt-group' | 'auto-attendant';

const OWNER_TABLES: Record<ExtensionOwner, string> = {
  account: 'accounts',
  'hunt-group': 'hunt_groups',
  'auto-attendant': 'auto_attendants',
};

/**
 * An extension dials exactly one thing in a tenant, whether an account, a hunt group or an auto
 * attendant. Each table has its own unique index; this checks across the three. Callers hold the
 * tenant lock (lockTenant) so two writers cannot claim the same extension in different tables.
 */
export async function assertExtensionFree(
  em: EntityManager,
  tenant: Tenant,
  extension: string,
  self?: { owner: ExtensionOwner; id: string },
): Promise<void> {
  for (const [owner, table] of Object.entries(OWNER_TABLES) as [ExtensionOwner, string][]) {
    const rows = await em.execute<{ id: string }[]>(
      `select id from "${table}" where tenant_id = ? and extension = ? limit 1`,
      [tenant.id, extension],
    );
    const holder = rows[0];
    if (holder && !(self && self.owner === owner && self.id === holder.id)) {
      throw new ConflictError('extension_taken', `extension ${extension} is already in use (${owner} ${holder.id})`, {
        extension,
        usedBy: owner,
        id: holder.id,
      });
    }
  }
}
