import { BadRequestError } from '../../errors/errors.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { normaliseE164 } from './e164.js';

/** One number from a request, normalised with the tenant's default country; invalid → 400 naming the field. */
export function e164FromRequest(input: string, tenant: Tenant, field: string): string {
  const result = normaliseE164(input, tenant.defaultCountry ?? undefined);
  if (!result.ok)
    throw new BadRequestError('invalid_number', `${field}: ${result.reason}`, { field, reason: result.reason });
  return result.e164;
}
