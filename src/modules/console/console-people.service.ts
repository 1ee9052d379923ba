import { createHash, randomBytes } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { containsPattern } from '../../db/like.js';
import { BadRequestError, ConflictError, NotFoundError } from '../../errors/errors.js';
import type { PageResult } from '../../http/api-schemas.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { ConsoleLink, type ConsoleLinkKind } from './console-link.entity.js';
import type { ConsoleUserRoleInput, InviteConsoleUserInput } from './console-people.schemas.js';
import { ConsoleUser } from './console-user.entity.js';
import { checkNewEmail } from './console-users.service.js';
import { hashPassword, passwordProblem } from './passwords.js';

/** How long each kind of one-time link is valid (config: PROVD_CONSOLE_INVITE_SECONDS, PROVD_CONSOLE_RESET_SECONDS). */
export interface LinkLifetimes {
  inviteSeconds: number;
  resetSeconds: number;
}

/** A link just issued: the token exists only here and in the owner's page, never in the database. */
export interface IssuedLink {
  user: ConsoleUser;
  kind: ConsoleLinkKind;
  token: string;
  expiresAt: Date;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** An invited user has no password yet (empty hash: nothing verifies against it). */
export function hasPassword(user: Pick<ConsoleUser, 'passwordHash'>): boolean {
  return user.passwordHash !== '';
}

export async function listConsoleUsers(
  em: EntityManager,
  tenant: Tenant,
  query: { q?: string; limit: number; offset: number },
): Promise<PageResult<ConsoleUser>> {
  const where = { tenant, ...(query.q ? { email: { $ilike: containsPattern(query.q) } } : {}) };
  const [items, total] = await em.findAndCount(ConsoleUser, where, {
    orderBy: { email: 'asc' },
    limit: query.limit,
    offset: query.offset,
  });
  return { items, total, limit: query.limit, offset: query.offset };
}

/** A console user of this tenant; another tenant's user is "not found", like one that does not exist. */
export async function consoleUserInTenant(em: EntityManager, tenant: Tenant, id: string): Promise<ConsoleUser> {
  const user = await em.findOne(ConsoleUser, { id, tenant });
  if (!user) throw new NotFoundError('console user');
  return user;
}

/** Replaces the user's unused links by a new one (so only the newest link works). */
async function issueLink(
  em: EntityManager,
  user: ConsoleUser,
  tenant: Tenant,
  kind: ConsoleLinkKind,
  lifetimes: LinkLifetimes,
): Promise<IssuedLink> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(
    Date.now() + (kind === 'invite' ? lifetimes.inviteSeconds : lifetimes.resetSeconds) * 1000,
  );
  for (const old of await em.find(ConsoleLink, { user, usedAt: null })) em.remove(old);
  em.create(ConsoleLink, { user, tenant, kind, tokenHash: tokenHash(token), expiresAt });
  await em.flush();
  return { user, kind, token, expiresAt };
}

/** Creates the user without a password and an invitation link with which they set one. */
export async function inviteConsoleUser(
  em: EntityManager,
  tenant: Tenant,
  input: InviteConsoleUserInput,
  lifetimes: LinkLifetimes,
): Promise<IssuedLink> {
  const email = await checkNewEmail(em, input.email);
  const user = em.create(ConsoleUser, { email, role: input.role, tenant, passwordHash: '' });
  return issueLink(em, user, tenant, 'invite', lifetimes);
}

/**
 * A password-reset link; for a user who never set a password, a fresh invitation instead. The
 * current password keeps working until the link is used.
 */
export async function resetLink(
  em: EntityManager,
  tenant: Tenant,
  id: string,
  lifetimes: LinkLifetimes,
): Promise<IssuedLink> {
  const user = await consoleUserInTenant(em, tenant, id);
  return issueLink(em, user, tenant, hasPassword(user) ? 'reset' : 'invite', lifetimes);
}

/** The link of this token if it can still be used (unused, not expired), with its user. */
export async function usableLink(em: EntityManager, token: string, lock = false): Promise<ConsoleLink | null> {
  if (!TOKEN.test(token)) return null;
  const link = await em.findOne(
    ConsoleLink,
    { tokenHash: tokenHash(token) },
    { populate: ['user'], ...(lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {}) },
  );
  if (!link || link.usedAt || link.expiresAt.getTime() <= Date.now()) return null;
  return link;
}

/**
 * Sets the password through a link, once: the link row is locked, so two uses at the same time
 * give one success. Null when the link is not usable (any more).
 */
export async function acceptLink(em: EntityManager, token: string, password: string): Promise<ConsoleUser | null> {
  return em.transactional(async (tx) => {
    const link = await usableLink(tx, token, true);
    if (!link) return null;
    const user = link.user;
    const problem = passwordProblem(password, user.email);
    if (problem) throw new BadRequestError('weak_password', `password ${problem}`, { field: 'password' });
    user.passwordHash = await hashPassword(password);
    user.lastSignInAt = new Date();
    link.usedAt = new Date();
    await tx.flush();
    return user;
  });
}

/**
 * The tenant's owners who can sign in, locked, so two concurrent demotions or removals cannot
 * both pass the last-owner check.
 */
async function refuseLastOwner(tx: EntityManager, tenant: Tenant, user: ConsoleUser, what: string): Promise<void> {
  if (user.role !== 'owner' || !hasPassword(user)) return;
  const owners = await tx.find(
    ConsoleUser,
    { tenant, role: 'owner', passwordHash: { $ne: '' } },
    { lockMode: LockMode.PESSIMISTIC_WRITE, fields: ['id'], orderBy: { id: 'asc' } },
  );
  if (owners.filter((owner) => owner.id !== user.id).length === 0) {
    throw new ConflictError(
      'last_owner',
      `${user.email} is the last owner of this tenant and cannot be ${what}; make another user owner first`,
      { field: 'role' },
    );
  }
}

export async function changeConsoleUserRole(
  em: EntityManager,
  tenant: Tenant,
  id: string,
  input: ConsoleUserRoleInput,
): Promise<ConsoleUser> {
  return em.transactional(async (tx) => {
    const user = await consoleUserInTenant(tx, tenant, id);
    if (user.role === input.role) return user;
    if (input.role !== 'owner') await refuseLastOwner(tx, tenant, user, 'demoted');
    user.role = input.role;
    await tx.flush();
    return user;
  });
}

export async function removeConsoleUser(em: EntityManager, tenant: Tenant, id: string): Promise<ConsoleUser> {
  return em.transactional(async (tx) => {
    const user = await consoleUserInTenant(tx, tenant, id);
    await refuseLastOwner(tx, tenant, user, 'removed');
    tx.remove(user);
    await tx.flush();
    return user;
  });
}
