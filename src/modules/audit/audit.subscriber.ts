import { ChangeSetType, type ChangeSet, type EventSubscriber, type FlushEventArgs } from '@mikro-orm/core';
import { currentActor } from './audit-actor.js';
import { AuditEntry, type AuditAction } from '../../model/audit/audit-entry.entity.js';
import { changedProps, snapshot } from './audit.snapshot.js';

/**
 * Entities whose writes are not audited: the trail itself, phone-fetch bookkeeping, and the
 * pipeline's own state (written by workers on every render). Everything else an admin can change
 * is recorded. A new internal, high-churn entity belongs here.
 */
export const UNAUDITED_ENTITIES: ReadonlySet<string> = new Set([
  'AuditEntry',
  'DeviceLastSeen',
  'ChangeOutbox',
  'RenderTarget',
  'Artifact',
  'DeviceSync',
]);

const ACTIONS: Record<ChangeSetType, AuditAction> = {
  [ChangeSetType.CREATE]: 'create',
  [ChangeSetType.UPDATE]: 'update',
  [ChangeSetType.UPDATE_EARLY]: 'update',
  [ChangeSetType.DELETE]: 'delete',
  [ChangeSetType.DELETE_EARLY]: 'delete',
};

function tenantIdOf(changeSet: ChangeSet<object>): string | null {
  if (changeSet.meta.className === 'Tenant') return changeSet.getSerializedPrimaryKey();
  const tenant = (changeSet.entity as { tenant?: { id?: string } | null }).tenant;
  if (tenant?.id) return tenant.id;
  const original = changeSet.originalEntity as { tenant?: unknown } | undefined;
  return typeof original?.tenant === 'string' ? original.tenant : null;
}

function entryFor(changeSet: ChangeSet<object>): AuditEntry | null {
  const action = ACTIONS[changeSet.type];
  const meta = changeSet.meta;
  const entity = changeSet.entity as Record<string, unknown>;
  const original = changeSet.originalEntity as Record<string, unknown> | undefined;
  const entry = new AuditEntry();
  if (action === 'create') {
    entry.after = snapshot(meta, entity, true);
  } else if (action === 'delete') {
    entry.before = original ? snapshot(meta, original, false) : snapshot(meta, entity, true);
  } else {
    const changed = changedProps(changeSet.payload as Record<string, unknown>);
    if (changed.size === 0) return null;
    entry.before = original ? snapshot(meta, original, false, changed) : null;
    entry.after = snapshot(meta, entity, true, changed);
  }
  const actor = currentActor();
  entry.action = action;
  entry.entityType = meta.className;
  entry.entityId = changeSet.getSerializedPrimaryKey() ?? '';
  entry.tenantId = tenantIdOf(changeSet);
  entry.actorTokenId = actor.tokenId;
  entry.actorName = actor.name;
  entry.actorRole = actor.role;
  return entry;
}

/**
 * Records every create/update/delete that goes through the unit of work, inside the same flush
 * (so the same transaction): a change and its audit entry commit or roll back together.
 * Writes that bypass the unit of work (native bulk queries) are not seen here; services that
 * change audited data use the unit of work.
 */
export class AuditSubscriber implements EventSubscriber {
  onFlush(args: FlushEventArgs): void {
    for (const changeSet of args.uow.getChangeSets()) {
      if (UNAUDITED_ENTITIES.has(changeSet.meta.className)) continue;
      const entry = entryFor(changeSet as ChangeSet<object>);
      if (entry) args.uow.computeChangeSet(entry);
    }
  }
}
