import type { FastifyRequest } from 'fastify';
import { principalOf } from '../auth/guards.js';
import { roleAtLeast } from '../auth/principal.js';

/** Admins and owners see secret settings (they may change them anyway); viewers see them masked. */
export function revealsSecrets(request: FastifyRequest): boolean {
  return roleAtLeast(principalOf(request).role, 'admin');
}
