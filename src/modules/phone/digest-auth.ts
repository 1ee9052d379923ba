import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { canonicalMac } from '../devices/mac.js';
import { digestsEqual } from './constant-time.js';
import { parseAuthParams, quoted, splitScheme } from './digest-params.js';
import { DigestNonces } from './digest-nonce.js';

/**
 * Server side of HTTP Digest (RFC 7616) with qop=auth, MD5 and SHA-256. The username is the
 * device MAC; its secret comes from a callback (the server reads it from its cache). Nonces
 * validate themselves (see digest-nonce.ts); each (nonce, nc) pair is accepted once, tracked in
 * Redis with SET NX so replays fail on every serving process.
 */

export type DigestAlgorithm = 'MD5' | 'SHA-256';
export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['SHA-256', 'MD5'];

/** Returns the device secret for a canonical MAC, or undefined for an unknown/unauthorised device. */
export type SecretLookup = (mac: string) => Promise<string | undefined> | string | undefined;

export interface DigestAuthOptions {
  /** HMAC key for nonces, at least 32 bytes, the same on every serving process. */
  nonceKey: Buffer | string;
  nonceTtlSeconds?: number;
  /** Offered in this order; most phones only speak MD5, so keep it unless every phone does SHA-256. */
  algorithms?: readonly DigestAlgorithm[];
  /** Redis key prefix for replay markers, e.g. the queue prefix. */
  keyPrefix: string;
  now?: () => number;
}

export type DigestFailureReason =
  | 'missing'
  | 'wrong_scheme'
  | 'malformed'
  | 'unsupported_algorithm'
  | 'unsupported_qop'
  | 'bad_username'
  | 'realm_mismatch'
  | 'uri_mismatch'
  | 'bad_nonce'
  | 'unknown_user'
  | 'bad_response'
  | 'stale_nonce'
  | 'replay';

export type DigestResult =
  | { ok: true; mac: string; algorithm: DigestAlgorithm }
  /** `mac` is the claimed (well-formed) username, for logs only; `stale` asks for a stale=true challenge. */
  | { ok: false; reason: DigestFailureReason; stale: boolean; mac?: string };

export const DEFAULT_NONCE_TTL_SECONDS = 300;
const REPLAY_SLACK_MS = 5000;

export class DigestAuthenticator {
  private readonly nonces: DigestNonces;
  private readonly algorithms: readonly DigestAlgorithm[];
  private readonly keyPrefix: string;

  constructor(
    private readonly redis: Redis,
    options: DigestAuthOptions,
  ) {
    this.nonces = new DigestNonces(options.nonceKey, (options.nonceTtlSeconds ?? DEFAULT_NONCE_TTL_SECONDS) * 1000, options.now);
    this.algorithms = options.algorithms?.length ? options.algorithms : DIGEST_ALGORITHMS;
    this.keyPrefix = options.keyPrefix;
  }

  /** `WWW-Authenticate` values, one per offered algorithm (send them all; the client picks). */
  challenge(realm: string, stale = false): string[] {
    const nonce = this.nonces.issue(realm);
    return this.algorithms.map(
      (algorithm) => `Digest realm=${quoted(realm)}, qop="auth", algorithm=${algorithm}, nonce="${nonce}"${stale ? ', stale=true' : ''}`,
    );
  }

  async verify(
    authorization: string | undefined,
    method: string,
    uri: string,
    lookupSecret: SecretLookup,
    expectedRealm?: string,
  ): Promise<DigestResult> {
    if (authorization === undefined || authorization.trim() === '') return fail('missing');
    if (splitScheme(authorization)?.scheme !== 'digest') return fail('wrong_scheme');
    const header = parseAuthParams(authorization);
    if (!header) return fail('malformed');
    const p = header.params;
    const username = p.get('username');
    const realm = p.get('realm');
    const nonce = p.get('nonce');
    const requestUri = p.get('uri');
    const response = p.get('response')?.toLowerCase();
    const nc = p.get('nc')?.toLowerCase();
    const cnonce = p.get('cnonce');
    if (!username || realm === undefined || !nonce || !requestUri || !response || p.get('userhash')?.toLowerCase() === 'true') {
      return fail('malformed');
    }
    const algorithm = this.algorithms.find((offered) => offered === (p.get('algorithm') ?? 'MD5').toUpperCase());
    if (!algorithm) return fail('unsupported_algorithm');
    // Without qop there is no nc, and without nc nothing stops a replay: refuse RFC 2069 mode.
    if (p.get('qop')?.toLowerCase() !== 'auth') return fail('unsupported_qop');
    if (!nc || !/^[0-9a-f]{8}$/.test(nc) || !cnonce || cnonce.length > 256 || !/^[0-9a-f]{32,128}$/.test(response)) return fail('malformed');
    const mac = canonicalMac(username);
    if (!mac) return fail('bad_username');
    if (expectedRealm !== undefined && realm !== expectedRealm) return fail('realm_mismatch', mac);
    if (requestUri !== uri) return fail('uri_mismatch', mac);
    const nonceState = this.nonces.check(nonce, realm);
    if (nonceState.state === 'invalid') return fail('bad_nonce', mac);

    const secret = await lookupSecret(mac);
    // Unknown devices cost the same work as known ones, so timing does not tell them apart.
    const expected = digestResponse({
      algorithm,
      username,
      realm,
      secret: secret ?? randomBytes(24).toString('base64'),
      method,
      uri: requestUri,
      nonce,
      nc,
      cnonce,
      qop: 'auth',
    });
    const matches = digestsEqual(response, expected);
    if (secret === undefined) return fail('unknown_user', mac);
    if (!matches) return fail('bad_response', mac);
    if (nonceState.state === 'stale') return { ok: false, reason: 'stale_nonce', stale: true, mac };

    const key = `${this.keyPrefix}:digest:nc:${createHash('sha256').update(nonce).digest('hex').slice(0, 32)}:${nc}`;
    const first = await this.redis.set(key, '1', 'PX', this.nonces.remainingMs(nonceState.issuedAtMs) + REPLAY_SLACK_MS, 'NX');
    if (first !== 'OK') return fail('replay', mac);
    return { ok: true, mac, algorithm };
  }
}

export interface DigestInput {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  secret: string;
  method: string;
  uri: string;
  nonce: string;
  nc: string;
  cnonce: string;
  qop: 'auth';
}

/** RFC 7616 §3.4.1 `response` for qop=auth (non-session algorithms). */
export function digestResponse(input: DigestInput): string {
  const hash = (text: string) => createHash(input.algorithm === 'MD5' ? 'md5' : 'sha256').update(text, 'utf8').digest('hex');
  const ha1 = hash(`${input.username}:${input.realm}:${input.secret}`);
  const ha2 = hash(`${input.method}:${input.uri}`);
  return hash(`${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${ha2}`);
}

function fail(reason: DigestFailureReason, mac?: string): DigestResult {
  return mac === undefined ? { ok: false, reason, stale: false } : { ok: false, reason, stale: false, mac };
}
