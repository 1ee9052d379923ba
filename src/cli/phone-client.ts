import { createHash, randomBytes } from 'node:crypto';
import { isVendorFamily } from '../model/directory/vendor-family.js';
import { parseAuthParams } from '../modules/phone/digest-params.js';
import { VENDOR_REGISTRY } from '../modules/vendors/registry.js';

/** A User-Agent per vendor family as real phones send it (the family's `userAgent.example`; the MAC is the device's). */
export function phoneUserAgent(vendor: string, mac: string, model?: string): string {
  if (!isVendorFamily(vendor)) throw new Error(`unknown vendor ${vendor}`);
  const lower = mac.toLowerCase();
  return VENDOR_REGISTRY[vendor].userAgent.example(
    { lower, upper: mac.toUpperCase(), colons: lower.match(/../g)!.join(':') },
    model,
  );
}

/** The challenges of a 401: fetch joins several WWW-Authenticate headers with ", ". */
function digestChallenges(header: string | null): Map<string, string>[] {
  if (!header) return [];
  return header
    .split(/,\s*(?=(?:Digest|Basic)\s)/i)
    .map((part) => parseAuthParams(part))
    .filter((parsed) => parsed?.scheme === 'digest')
    .map((parsed) => parsed!.params);
}

/** RFC 7616 client response (qop=auth), SHA-256 when offered, else MD5. */
export function digestAuthorization(
  header: string | null,
  username: string,
  secret: string,
  method: string,
  uri: string,
): string | undefined {
  const challenges = digestChallenges(header);
  const params =
    challenges.find((c) => c.get('algorithm') === 'SHA-256') ??
    challenges.find((c) => (c.get('algorithm') ?? 'MD5') === 'MD5');
  if (!params) return undefined;
  const algorithm = params.get('algorithm') ?? 'MD5';
  const hash = (text: string) =>
    createHash(algorithm === 'SHA-256' ? 'sha256' : 'md5')
      .update(text)
      .digest('hex');
  const realm = params.get('realm') ?? '';
  const nonce = params.get('nonce') ?? '';
  const nc = '00000001';
  const cnonce = randomBytes(8).toString('hex');
  const response = hash(
    `${hash(`${username}:${realm}:${secret}`)}:${nonce}:${nc}:${cnonce}:auth:${hash(`${method}:${uri}`)}`,
  );
  return `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", algorithm=${algorithm}, qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}"`;
}

export interface PhoneAnswer {
  status: number;
  contentType: string | null;
  body: Buffer;
  authenticated: boolean;
}

/** GET as a phone does: without credentials first, then answering the Digest challenge with the device secret. */
export async function fetchAsPhone(
  baseUrl: string,
  path: string,
  userAgent: string,
  credentials?: { username: string; secret: string },
): Promise<PhoneAnswer> {
  const url = `${baseUrl.replace(/\/+$/, '')}${path}`;
  const uri = new URL(url).pathname + new URL(url).search;
  let response = await fetch(url, { headers: { 'user-agent': userAgent } });
  let authenticated = false;
  if (response.status === 401 && credentials) {
    await response.arrayBuffer();
    const authorization = digestAuthorization(
      response.headers.get('www-authenticate'),
      credentials.username,
      credentials.secret,
      'GET',
      uri,
    );
    if (authorization) {
      response = await fetch(url, { headers: { 'user-agent': userAgent, authorization } });
      authenticated = true;
    }
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: Buffer.from(await response.arrayBuffer()),
    authenticated,
  };
}
