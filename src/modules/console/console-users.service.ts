import type { EntityManager } from '@mikro-orm/postgresql';
import { BadRequestError, ConflictError } from '../../errors/errors.js';
import type { TokenRole } from '../../model/auth/api-token.entity.js';
import type { Principal } from '../auth/principal.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { ConsoleUser } from './console-user.entity.js';
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './passwords.js';

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The console user as the shared role guards see it: the same Principal an API token gives. */
export function consolePrincipal(
  user: Pick<ConsoleUser, 'id' | 'email' | 'role'> & { tenantId: string | null },
): Principal {
  return { tokenId: user.id, tokenName: `console:${user.email}`, role: user.role, tenantId: user.tenantId };
}

/** The normalised address of a new console user: well-formed and not taken (by anyone, in any tenant). */
export async function checkNewEmail(em: EntityManager, raw: string): Promise<string> {
  const email = normaliseEmail(raw);
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254)
    throw new BadRequestError('invalid_email', 'email: not an email address', { field: 'email' });
  if (await em.findOne(ConsoleUser, { email }, { fields: ['id'] }))
    throw new ConflictError('email_taken', 'a console user with this email already exists', { field: 'email' });
  return email;
}

export async function createConsoleUser(
  em: EntityManager,
  input: { email: string; password: string; role: TokenRole; tenant: Tenant | null },
): Promise<ConsoleUser> {
  const problem = passwordProblem(input.password, normaliseEmail(input.email));
  if (problem) throw new BadRequestError('weak_password', `password ${problem}`, { field: 'password' });
  if ((input.role === 'platform') !== (input.tenant === null))
    throw new BadRequestError('invalid_role', 'platform operators have no tenant; every other role has one');
  const email = await checkNewEmail(em, input.email);
  const user = em.create(ConsoleUser, {
    email,
    role: input.role,
    tenant: input.tenant,
    passwordHash: await hashPassword(input.password),
  });
  await em.flush();
  return user;
}

/** The user whose password matches, or null. Unknown email and wrong password cost the same and answer the same. */
export async function checkCredentials(
  em: EntityManager,
  email: string,
  password: string,
): Promise<ConsoleUser | null> {
  const user = await em.findOne(ConsoleUser, { email: normaliseEmail(email) });
  // An invited user without a password yet costs the same as an unknown one.
  const ok = await verifyPassword(user?.passwordHash || (await dummyPasswordHash()), password);
  return user && user.passwordHash && ok ? user : null;
}

export async function changePassword(em: EntityManager, userId: string, current: string, next: string): Promise<void> {
  const user = await em.findOneOrFail(ConsoleUser, { id: userId });
  if (!(await verifyPassword(user.passwordHash, current)))
    throw new BadRequestError('wrong_password', 'current password is not correct', { field: 'current' });
  const problem = passwordProblem(next, user.email);
  if (problem) throw new BadRequestError('weak_password', `new password ${problem}`, { field: 'next' });
  user.passwordHash = await hashPassword(next);
  await em.flush();
}
