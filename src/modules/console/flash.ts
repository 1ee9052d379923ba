import type { FastifyRequest } from 'fastify';

/** The result line shown once on the next page: "Changes Saved" (saved) or a warning after a deletion. */
export interface Flash {
  kind: 'saved' | 'warning';
  text: string;
}

declare module '@fastify/secure-session' {
  interface SessionData {
    flash: Flash;
  }
}

/** Keeps the result line for the page the action redirects to (post, redirect, get). */
export function setFlash(request: FastifyRequest, flash: Flash): void {
  request.session.set('flash', flash);
}

/** The pending result line, read once. */
export function takeFlash(request: FastifyRequest): Flash | null {
  const flash = request.session?.get('flash');
  if (!flash) return null;
  request.session.set('flash', undefined);
  return flash;
}
