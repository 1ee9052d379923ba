import type { FastifyRequest } from 'fastify';
import { NotFoundError } from '../../errors/errors.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { PHONEMAP_TOKEN_PATTERN } from '../../model/directory/phonemap-group.entity.js';

/** Shared by the console's PhoneMap pages (list and group page). */
const TOKEN = new RegExp(PHONEMAP_TOKEN_PATTERN);
export const ID_RULE = 'PhoneMap Group ID must be a token: 1 to 64 letters, digits, _ or -';

/** The group's id (its token) from the URL; a malformed one is "not found", like another tenant's. */
export function tokenParam(request: FastifyRequest): string {
  const value = (request.params as Record<string, unknown>).id;
  if (typeof value !== 'string' || !TOKEN.test(value)) throw new NotFoundError('PhoneMap group');
  return value;
}

export const phonemapHref = (tenant: Tenant) => `/console/t/${encodeURIComponent(tenant.slug)}/phonemap`;
/** A group's own pages live under /g/ so that no token ("new") can shadow a list-level route. */
export const groupHref = (tenant: Tenant, token: string) => `${phonemapHref(tenant)}/g/${encodeURIComponent(token)}`;
