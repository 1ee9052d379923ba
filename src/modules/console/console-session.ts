import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../auth/principal.js';
import { ConsoleUser } from './console-user.entity.js';
import { consolePrincipal } from './console-users.service.js';

/** What the encrypted session cookie holds. */
export interface ConsoleSessionData {
  uid: string;
  /** Fingerprint of the password hash: changing the password ends every other session. */
  pwd: string;
  /** Random per sign-in, so a new sign-in never reuses an old cookie's content. */
  sid: string;
  iat: number;
  seen: number;
}

declare module '@fastify/secure-session' {
  interface SessionData {
    console: ConsoleSessionData;
  }
}

export interface SessionTimes {
  idleSeconds: number;
  maxSeconds: number;
}

export function passwordFingerprint(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('base64url').slice(0, 16);
}

/** 32-byte key for the session cipher from the configured secret (any 32+ character string). */
export function sessionCipherKey(secret: string | undefined): Buffer {
  return secret ? createHash('sha256').update(secret, 'utf8').digest() : randomBytes(32);
}

/** Signs in: the old session content is dropped and a fresh one written (rotation). */
export function startSession(request: FastifyRequest, user: ConsoleUser): void {
  request.session.regenerate();
  const now = Date.now();
  request.session.set('console', {
    uid: user.id,
    pwd: passwordFingerprint(user.passwordHash),
    sid: randomBytes(12).toString('base64url'),
    iat: now,
    seen: now,
  });
}

export function endSession(request: FastifyRequest): void {
  request.session.delete();
}

export interface SignedIn {
  user: ConsoleUser;
  principal: Principal;
}

/**
 * The signed-in user for this request, or why not: none, or expired (idle or absolute). A user
 * deleted or whose password changed since sign-in has no session any more.
 */
export async function resolveSession(
  em: EntityManager,
  request: FastifyRequest,
  times: SessionTimes,
): Promise<SignedIn | 'none' | 'expired'> {
  const data = request.session.get('console');
  if (!data) return 'none';
  const now = Date.now();
  if (now - data.iat > times.maxSeconds * 1000 || now - data.seen > times.idleSeconds * 1000) {
    endSession(request);
    return 'expired';
  }
  const user = await em.findOne(ConsoleUser, { id: data.uid });
  if (!user || passwordFingerprint(user.passwordHash) !== data.pwd) {
    endSession(request);
    return 'none';
  }
  request.session.set('console', { ...data, seen: now });
  return {
    user,
    principal: consolePrincipal({ id: user.id, email: user.email, role: user.role, tenantId: user.tenant?.id ?? null }),
  };
}

export function redirectToSignIn(reply: FastifyReply, expired: boolean): FastifyReply {
  return reply.redirect(expired ? '/console/sign-in?expired=1' : '/console/sign-in', 303);
}
