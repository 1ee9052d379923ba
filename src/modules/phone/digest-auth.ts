import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from '../../redis/redis.js';
import { canonicalMac } from '../devices/mac.js';
import { digestsEqual } from './constant-time.js';
import { parseAuthParams, quoted, splitScheme } from './digest-params.js';
import { DigestNonces } from './digest-nonce.js';
import { NonceReplayGuard, redisClaimStore, type NonceClaimStore, type ReplayVerdict } from './digest-replay.js';

/**
 * Server side of HTTP Digest (RFC 7616) with qop=auth, MD5 and SHA-256. The username is the
 * device MAC; its secret comes from a callback (the server reads it from its cache). Nonces
 * validate themselves (see digest-nonce.ts); each (nonce, nc) pair is accepted once across all
 * serving processes: the process that first accepts a nonce claims it in Redis and counts its nc
 * values in memory, others answer stale (see digest-replay.ts). `verify` answers synchronously
 * when it needs no I/O (the common case: a known nonce, a secret from the cache).
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
  /** Redis key prefix for nonce claims, e.g. the queue prefix. */
  keyPrefix: string;
  now?: () => number;
  /** How long an owned nonce's claim is trusted before it is read again (default 10 s). */
  claimRecheckMs?: number;
  /** Claims somewhere other than Redis (tests). */
  claimStore?: NonceClaimStore;
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
  | 'replay'
  /** The nonce is owned by another serving process (or was forgotten here): retried with a fresh one. */
  | 'nonce_elsewhere';

export type DigestResult =
  | { ok: true; mac: string; algorithm: DigestAlgorithm }
  /** `mac` is the claimed (well-formed) username, for logs only; `stale` asks for a stale=true challenge. */
  | { ok: false; reason: DigestFailureReason; stale: boolean; mac?: string };

export const DEFAULT_NONCE_TTL_SECONDS = 300;

type MaybePromise<T> = T | Promise<T>;

function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as Promise<T> | undefined)?.then === 'function';
}

export class DigestAuthenticator {
  private readonly nonces: DigestNonces;
  private readonly algorithms: readonly DigestAlgorithm[];
  readonly replay: NonceReplayGuard;
  private readonly placeholderSecret = randomBytes(24).toString('base64');
  /** HA1 per (algorithm, username, realm), valid while the secret it was made from is current. */
  private readonly ha1s = new Map<string, { secret: string; ha1: string }>();
  private readonly ha2s = new Map<string, string>();

  constructor(redis: RedisClient, options: DigestAuthOptions) {
    this.nonces = new DigestNonces(
      options.nonceKey,
      (options.nonceTtlSeconds ?? DEFAULT_NONCE_TTL_SECONDS) * 1000,
      options.now,
    );
    this.algorithms = options.algorithms?.length ? options.algorithms : DIGEST_ALGORITHMS;
    this.replay = new NonceReplayGuard(options.claimStore ?? redisClaimStore(redis), {
      keyPrefix: options.keyPrefix,
      recheckMs: options.claimRecheckMs,
      now: options.now,
    });
  }

  /** `WWW-Authenticate` values, one per offered algorithm (send them all; the client picks). */
  challenge(realm: string, stale = false): string[] {
    const nonce = this.nonces.issue(realm);
    return this.algorithms.map(
      (algorithm) =>
        `Digest realm=${quoted(realm)}, qop="auth", algorithm=${algorithm}, nonce="${nonce}"${stale ? ', stale=true' : ''}`,
    );
  }

  verify(
    authorization: string | undefined,
    method: string,
    uri: string,
    lookupSecret: SecretLookup,
    expectedRealm?: string,
  ): MaybePromise<DigestResult> {
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
    if (
      !username ||
      realm === undefined ||
      !nonce ||
      !requestUri ||
      !response ||
      p.get('userhash')?.toLowerCase() === 'true'
    ) {
      return fail('malformed');
    }
    const algorithm = this.algorithms.find((offered) => offered === (p.get('algorithm') ?? 'MD5').toUpperCase());
    if (!algorithm) return fail('unsupported_algorithm');
    // Without qop there is no nc, and without nc nothing stops a replay: refuse RFC 2069 mode.
    if (p.get('qop')?.toLowerCase() !== 'auth') return fail('unsupported_qop');
    if (!nc || !/^[0-9a-f]{8}$/.test(nc) || !cnonce || cnonce.length > 256 || !/^[0-9a-f]{32,128}$/.test(response))
      return fail('malformed');
    const mac = canonicalMac(username);
    if (!mac) return fail('bad_username');
    if (expectedRealm !== undefined && realm !== expectedRealm) return fail('realm_mismatch', mac);
    if (requestUri !== uri) return fail('uri_mismatch', mac);
    // A nonce this process owns had its HMAC checked when it was claimed: its age is all that is left.
    const owned = this.replay.known(nonce, realm);
    const nonceState = owned ? this.nonces.ageState(owned.issuedAtMs) : this.nonces.check(nonce, realm);
    if (nonceState.state === 'invalid') return fail('bad_nonce', mac);

    const check = (secret: string | undefined): MaybePromise<DigestResult> => {
      // Unknown devices cost the same work as known ones (a per-process placeholder secret, the
      // same caches), so neither the answer nor its timing tells them apart.
      const ha1 = this.ha1Of(algorithm, username, realm, secret ?? this.placeholderSecret);
      const expected = hashOf(
        algorithm,
        `${ha1}:${nonce}:${nc}:${cnonce}:auth:${this.ha2Of(algorithm, method, requestUri)}`,
      );
      const matches = digestsEqual(response, expected);
      if (secret === undefined) return fail('unknown_user', mac);
      if (!matches) return fail('bad_response', mac);
      if (nonceState.state === 'stale') return { ok: false, reason: 'stale_nonce', stale: true, mac };
      const verdict = this.replay.use(
        nonce,
        parseInt(nc, 16),
        realm,
        nonceState.issuedAtMs,
        nonceState.issuedAtMs + this.nonces.ttlMs,
      );
      return isPromise(verdict)
        ? verdict.then((settled) => outcomeOf(settled, mac, algorithm))
        : outcomeOf(verdict, mac, algorithm);
    };
    const secret = lookupSecret(mac);
    return isPromise(secret) ? secret.then(check) : check(secret);
  }

  private ha1Of(algorithm: DigestAlgorithm, username: string, realm: string, secret: string): string {
    const key = `${algorithm}\0${username}\0${realm}`;
    const cached = this.ha1s.get(key);
    if (cached !== undefined && cached.secret === secret) return cached.ha1;
    return remember(this.ha1s, key, { secret, ha1: hashOf(algorithm, `${username}:${realm}:${secret}`) }).ha1;
  }

  private ha2Of(algorithm: DigestAlgorithm, method: string, uri: string): string {
    const key = `${algorithm}\0${method}\0${uri}`;
    return this.ha2s.get(key) ?? remember(this.ha2s, key, hashOf(algorithm, `${method}:${uri}`));
  }
}

/** Phones repeat the same few inputs; these bounds only stop a client inventing new ones from growing the heap. */
const MAX_CACHED_HASHES = 50_000;

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  if (map.size >= MAX_CACHED_HASHES) map.clear();
  map.set(key, value);
  return value;
}

function hashOf(algorithm: DigestAlgorithm, text: string): string {
  return createHash(algorithm === 'MD5' ? 'md5' : 'sha256')
    .update(text, 'utf8')
    .digest('hex');
}

function outcomeOf(verdict: ReplayVerdict, mac: string, algorithm: DigestAlgorithm): DigestResult {
  if (verdict === 'accepted') return { ok: true, mac, algorithm };
  if (verdict === 'replay') return fail('replay', mac);
  return { ok: false, reason: 'nonce_elsewhere', stale: true, mac };
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
  const hash = (text: string) =>
    createHash(input.algorithm === 'MD5' ? 'md5' : 'sha256')
      .update(text, 'utf8')
      .digest('hex');
  const ha1 = hash(`${input.username}:${input.realm}:${input.secret}`);
  const ha2 = hash(`${input.method}:${input.uri}`);
  return hash(`${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${ha2}`);
}

function fail(reason: DigestFailureReason, mac?: string): DigestResult {
  return mac === undefined ? { ok: false, reason, stale: false } : { ok: false, reason, stale: false, mac };
}
