import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiToken, type TokenRole } from '../auth/api-token.entity.js';
import { hashToken, tokenDisplayPrefix } from '../auth/token.js';
import { createDefaultPhonebook } from '../phonebooks/phonebook.entity.js';
import { Tenant } from './tenant.entity.js';

export const DEMO_TENANT_SLUG = 'demo';

export interface SeedTokens {
  platformToken?: string;
  demoAdminToken?: string;
}

async function upsertToken(em: EntityManager, token: string, role: TokenRole, name: string, tenant: Tenant | null): Promise<void> {
  const tokenHash = hashToken(token);
  const existing = await em.findOne(ApiToken, { tokenHash });
  if (existing) return;
  em.persist(em.create(ApiToken, { tokenHash, prefix: tokenDisplayPrefix(token), role, name, tenant }));
}

/** Idempotent: running it again leaves the same rows. Tokens are stored hashed only. */
export async function seedDemo(em: EntityManager, tokens: SeedTokens): Promise<Tenant> {
  return em.transactional(async (tx) => {
    let tenant = await tx.findOne(Tenant, { slug: DEMO_TENANT_SLUG });
    if (!tenant) {
      tenant = tx.create(Tenant, { slug: DEMO_TENANT_SLUG, name: 'Demo Company', maxAccounts: 2000 });
      tx.persist(tenant);
      tx.persist(createDefaultPhonebook(tx, tenant));
    }
    if (tokens.platformToken) await upsertToken(tx, tokens.platformToken, 'platform', 'platform (bootstrap)', null);
    if (tokens.demoAdminToken) await upsertToken(tx, tokens.demoAdminToken, 'owner', 'demo owner (bootstrap)', tenant);
    return tenant;
  });
}
