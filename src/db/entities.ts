import { ApiToken } from '../modules/auth/api-token.entity.js';
import { Tenant } from '../modules/tenants/tenant.entity.js';

/** Every entity the ORM knows. New feature entities register here. */
export const ENTITIES = [Tenant, ApiToken];
