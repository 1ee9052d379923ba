import type { RouteOptions } from 'fastify';
import { withExample } from './schema-example.js';

/** Set on guard functions (requireTenantRole, requirePlatform) so the docs can say who may call a route. */
export const GUARD_ROLE = Symbol.for('provd.guardRole');

const IRREGULAR: Record<string, string> = {
  summary: 'summary',
  sync: 'sync',
  settings: 'settings',
  'classes-of-service': 'class of service',
  audit: 'audit',
};

const words = (segment: string) => segment.replace(/-/g, ' ');
const singular = (segment: string) =>
  IRREGULAR[segment] ??
  words(segment)
    .replace(/ies$/, 'y')
    .replace(/(s|x)es$/, '$1')
    .replace(/s$/, '');

/**
 * A summary for an operation from its method and path, for routes that do not write their own:
 * `GET /tenants/:tenant/devices` → "List devices", `GET …/devices/:id` → "Get a device",
 * `POST …/devices/:id/secret/rotate` → "Device: secret rotate".
 */
export function derivedSummary(method: string, url: string): string {
  const parts = url
    .replace(/^\/api\/v1/, '')
    .split('/')
    .filter(Boolean);
  // The tenant is the scope, not the object: /tenants/:tenant/x reads as "x".
  const scoped = parts[0] === 'tenants' && parts[1] === ':tenant' && parts.length > 2 ? parts.slice(2) : parts;
  const endsWithId = scoped.at(-1)!.startsWith(':');
  const statics = scoped.filter((part) => !part.startsWith(':'));
  const last = statics.at(-1) ?? 'resource';
  const firstParam = scoped.findIndex((part) => part.startsWith(':'));
  const owner = firstParam > 0 ? singular(scoped[firstParam - 1]!) : null;
  const tail =
    firstParam > 0
      ? scoped
          .slice(firstParam + 1)
          .filter((part) => !part.startsWith(':'))
          .map(words)
          .join(' ')
      : '';
  const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
  switch (method) {
    case 'GET':
      if (endsWithId) return `Get a ${singular(last)}${owner && tail ? ` of a ${owner}` : ''}`;
      return owner && tail ? `${capital(owner)}: ${tail}` : `List ${words(last)}`;
    case 'POST':
      if (!owner || !tail) return `Create a ${singular(last)}`;
      return `${capital(owner)}: ${tail}`;
    case 'PATCH':
      return `Update a ${singular(endsWithId ? last : (owner ?? last))}${tail && !endsWithId ? ` (${tail})` : ''}`;
    case 'PUT':
      return owner && tail ? `Replace the ${tail} of a ${owner}` : `Replace ${words(last)}`;
    case 'DELETE':
      return `Delete a ${singular(last)}${owner && tail && endsWithId ? ` of a ${owner}` : ''}`;
    default:
      return `${method} ${words(last)}`;
  }
}

function roleSentence(route: RouteOptions): string {
  const guards = [route.preHandler, route.preValidation].flat(2).filter(Boolean) as unknown as Record<
    symbol,
    unknown
  >[];
  const role = guards.map((guard) => guard[GUARD_ROLE]).find((value) => typeof value === 'string');
  if (role === 'platform') return 'Needs the platform token.';
  if (role)
    return `Needs the ${role as string} role or higher in the tenant (the platform token acts as owner); another tenant's slug or ids answer 404.`;
  return 'Any valid API token.';
}

/**
 * Fills what a route leaves out so every operation at /docs has a summary and a description:
 * the summary from method and path, the description from the summary, the role the route's
 * guard needs, and the error shape. A route's own texts always win.
 */
export function documentOperation(route: RouteOptions): void {
  const schema = (route.schema ??= {}) as {
    summary?: string;
    description?: string;
    hide?: boolean;
    body?: unknown;
    response?: Record<string, unknown>;
  };
  if (schema.hide) return;
  const method = [route.method].flat()[0]!.toUpperCase();
  if (method === 'HEAD') return;
  schema.summary ??= derivedSummary(method, route.url);
  schema.description ??= `${schema.summary}. ${roleSentence(route)} Errors are \`{code, message, details?}\`.`;
  // Examples: a route's own win; else one derived from the schema (src/http/schema-example.ts).
  if (schema.body) schema.body = withExample(schema.body);
  for (const status of Object.keys(schema.response ?? {})) {
    if (/^2/.test(status)) schema.response![status] = withExample(schema.response![status]);
  }
}
