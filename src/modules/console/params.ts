import type { FastifyRequest } from 'fastify';
import { NotFoundError } from '../../errors/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A uuid from the console URL. Console routes take no TypeBox params schema (a failed check would
 * be a 400 page), so a malformed id is "not found", exactly like another tenant's id.
 */
export function uuidParam(request: FastifyRequest, name = 'id', what = 'page'): string {
  const value = (request.params as Record<string, unknown>)[name];
  if (typeof value !== 'string' || !UUID.test(value)) throw new NotFoundError(what);
  return value.toLowerCase();
}
