import { isIP } from 'node:net';

/**
 * SIP URIs as phones register them (RFC 3261 §19.1). Accepts a bare URI or a Contact/name-addr
 * value (`"Desk" <sip:100@10.0.0.5:5062;transport=tcp>;expires=3600`) and yields the parts a
 * Request-URI may carry: URI headers (`?…`) and passwords are dropped, parameters kept.
 */
export interface SipUri {
  scheme: 'sip' | 'sips';
  user?: string;
  /** Host without IPv6 brackets. */
  host: string;
  port?: number;
  params: ReadonlyMap<string, string | undefined>;
}

export type SipUriResult = { ok: true; uri: SipUri } | { ok: false; problem: string };

const USER = /^[A-Za-z0-9\-_.!~*'()&=+$,;?/%]+$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;
const PARAM = /^[A-Za-z0-9\-_.!~*'()%[\]/:&+$]+$/;

export function parseSipUri(input: string): SipUriResult {
  let text = input.trim();
  // A quoted display name may itself contain angle brackets.
  const quoted = /^"(?:[^"\\]|\\.)*"/.exec(text);
  if (quoted) text = text.slice(quoted[0].length).trim();
  const open = text.indexOf('<');
  if (open >= 0) {
    const close = text.indexOf('>', open);
    if (close < 0) return fail('unbalanced angle brackets');
    text = text.slice(open + 1, close).trim();
  }
  const schemeMatch = /^(sips?):/i.exec(text);
  if (!schemeMatch) return fail('not a sip: or sips: URI');
  const scheme = schemeMatch[1]!.toLowerCase() as 'sip' | 'sips';
  let rest = text.slice(schemeMatch[0].length);
  const headersAt = rest.indexOf('?');
  if (headersAt >= 0) rest = rest.slice(0, headersAt);

  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at).split(':')[0];
    rest = rest.slice(at + 1);
    if (!user || !USER.test(user)) return fail('invalid user part');
  }

  const [hostPort = '', ...paramParts] = rest.split(';');
  const hostResult = parseHostPort(hostPort);
  if (!hostResult.ok) return hostResult;

  const params = new Map<string, string | undefined>();
  for (const part of paramParts) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? undefined : part.slice(eq + 1);
    if (!PARAM.test(name) || (value !== undefined && !PARAM.test(value))) return fail('invalid URI parameter');
    params.set(name, value);
  }
  return { ok: true, uri: { scheme, user, host: hostResult.host, port: hostResult.port, params } };
}

function parseHostPort(text: string): { ok: true; host: string; port?: number } | { ok: false; problem: string } {
  let host: string;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return fail('unbalanced IPv6 brackets');
    host = text.slice(1, close);
    if (isIP(host) !== 6) return fail('invalid IPv6 address');
    const after = text.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return fail('invalid host');
    portText = after === '' ? undefined : after.slice(1);
  } else {
    const colon = text.indexOf(':');
    host = colon < 0 ? text : text.slice(0, colon);
    portText = colon < 0 ? undefined : text.slice(colon + 1);
    if (isIP(host) !== 4 && !HOSTNAME.test(host)) return fail('invalid host');
  }
  if (portText === undefined) return { ok: true, host };
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) return fail('invalid port');
  return { ok: true, host, port };
}

/** Host as it appears in a URI or Via: IPv6 literals in brackets. */
export function formatHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

export function formatSipUri(uri: SipUri): string {
  const user = uri.user ? `${uri.user}@` : '';
  const port = uri.port ? `:${uri.port}` : '';
  const params = [...uri.params].map(([k, v]) => (v === undefined ? `;${k}` : `;${k}=${v}`)).join('');
  return `${uri.scheme}:${user}${formatHost(uri.host)}${port}${params}`;
}

function fail(problem: string): { ok: false; problem: string } {
  return { ok: false, problem };
}
