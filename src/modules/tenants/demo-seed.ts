import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiToken, type TokenRole } from '../../model/auth/api-token.entity.js';
import { hashToken, tokenDisplayPrefix } from '../auth/token.js';
import { ConsoleUser } from '../console/console-user.entity.js';
import { createConsoleUser } from '../console/console-users.service.js';
import { createDefaultPhonebook } from '../../model/phonebooks/phonebook.entity.js';
import { Tenant } from '../../model/directory/tenant.entity.js';

export const DEMO_TENANT_SLUG = 'demo';
/** The demo tenant's owner in the console; `npm start` prints this email with its password. */
export const DEMO_ADMIN_EMAIL = 'admin@demo.example';

export interface SeedTokens {
  platformToken?: string;
  demoAdminToken?: string;
  /** Creates the demo owner's console user with it when that user does not exist yet (a changed password stays). */
  demoAdminPassword?: string;
}

async function upsertToken(
  em: EntityManager,
  token: string,
  role: TokenRole,
  name: string,
  tenant: Tenant | null,
): Promise<void> {
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
    if (tokens.demoAdminPassword && !(await tx.findOne(ConsoleUser, { email: DEMO_ADMIN_EMAIL }, { fields: ['id'] }))) {
      await tx.flush();
      await createConsoleUser(tx, {
        email: DEMO_ADMIN_EMAIL,
        password: tokens.demoAdminPassword,
        role: 'owner',
        tenant,
      });
    }
    return tenant;
  });
}
