import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is making the current change, as the audit trail records it. */
export interface AuditActor {
  tokenId: string | null;
  name: string;
  role: string;
}

export const SYSTEM_ACTOR: AuditActor = { tokenId: null, name: 'system', role: 'system' };

const actors = new AsyncLocalStorage<AuditActor>();

/**
 * Runs `work` (and everything it awaits) as `actor`. The admin API enters this once per
 * authenticated request, so every flush inside the request is attributed without passing the
 * actor through each service call.
 */
export function runAsActor<T>(actor: AuditActor, work: () => T): T {
  return actors.run(actor, work);
}

export function currentActor(): AuditActor {
  return actors.getStore() ?? SYSTEM_ACTOR;
}
