import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { takeFlash } from './flash.js';

/**
 * Kept apart from console.plugin.ts: the plugin registers the sign-in pages, and those pages render
 * with this context, so living in the plugin made the two files import each other.
 */
/** Fields every page's layout needs. */
export function pageContext(
  request: FastifyRequest,
  reply: FastifyReply,
  extra: { tenant?: Tenant | null; active?: string; title: string },
) {
  const user = request.consoleUser;
  return {
    csrf: reply.generateCsrf(),
    user: user ? { email: user.email, role: user.role, platform: user.role === 'platform' } : null,
    tenantSlug: extra.tenant?.slug ?? null,
    tenantName: extra.tenant?.name ?? null,
    active: extra.active ?? '',
    title: extra.title,
    flash: takeFlash(request),
  };
}
