import type { RedisClient } from '../../../redis/redis.js';
import { basicChallenge, verifyBasic } from '../basic-auth.js';
import { DigestAuthenticator, type DigestAlgorithm, type DigestResult } from '../digest-auth.js';
import { splitScheme } from '../digest-params.js';
import type { DeviceCredentials } from './device-cache.js';

/** Realm of every challenge; one value, so the challenge says nothing about the device asked for. */
export const PHONE_REALM = 'provd';

export interface AuthRequest {
  method: string;
  /** The request target exactly as sent (path and query): Digest binds to it. */
  uri: string;
  authorization: string | undefined;
  overTls: boolean;
  /** MAC of a verified client certificate on this connection. */
  certificateMac?: string;
}

export type AuthOutcome =
  | { ok: true; method: 'digest' | 'basic' | 'certificate' }
  /** `reason` is for the ban-tool line only; the client always gets the same challenge. */
  | { ok: false; reason: string; stale: boolean; presented: boolean };

export interface DeviceAuthOptions {
  nonceKey: string;
  nonceTtlSeconds: number;
  keyPrefix: string;
  basicOverTls: boolean;
  algorithms?: readonly DigestAlgorithm[];
}

/**
 * Authenticates a request for one device's files. `device` is the device the PATH names, or
 * undefined when it must not be served (unknown, not active, other tenant, source not allowed):
 * then every check still runs against a placeholder and fails the same way, so the answer and
 * the work do not tell the cases apart. Credentials are only ever checked against the path
 * device's secret: a username naming another MAC never selects another secret.
 */
export class DeviceAuthenticator {
  private readonly digest: DigestAuthenticator;

  constructor(
    redis: RedisClient,
    private readonly options: DeviceAuthOptions,
  ) {
    this.digest = new DigestAuthenticator(redis, {
      nonceKey: options.nonceKey,
      nonceTtlSeconds: options.nonceTtlSeconds,
      keyPrefix: options.keyPrefix,
      algorithms: options.algorithms ?? ['MD5', 'SHA-256'],
    });
  }

  /** `WWW-Authenticate` values for a 401. */
  challenge(overTls: boolean, stale = false): string[] {
    const values = this.digest.challenge(PHONE_REALM, stale);
    if (overTls && this.options.basicOverTls) values.push(basicChallenge(PHONE_REALM));
    return values;
  }

  /** Synchronous when no I/O is needed (Digest with a nonce this process owns): the hot path. */
  authenticate(
    request: AuthRequest,
    pathMac: string,
    device: DeviceCredentials | undefined,
  ): AuthOutcome | Promise<AuthOutcome> {
    if (request.certificateMac !== undefined && request.overTls) {
      if (device && request.certificateMac === pathMac) return { ok: true, method: 'certificate' };
    }
    const secretFor = (mac: string) => (device && mac === pathMac ? device.secret : undefined);
    const scheme = request.authorization === undefined ? undefined : splitScheme(request.authorization)?.scheme;
    if (scheme === 'basic') {
      if (!this.options.basicOverTls || !request.overTls)
        return { ok: false, reason: 'basic_not_allowed', stale: false, presented: true };
      return verifyBasic(request.authorization, true, secretFor).then((result) =>
        result.ok
          ? { ok: true, method: 'basic' }
          : { ok: false, reason: `basic_${result.reason}`, stale: false, presented: true },
      );
    }
    const result = this.digest.verify(request.authorization, request.method, request.uri, secretFor, PHONE_REALM);
    return result instanceof Promise ? result.then(digestOutcome) : digestOutcome(result);
  }
}

function digestOutcome(result: DigestResult): AuthOutcome {
  if (result.ok) return { ok: true, method: 'digest' };
  return { ok: false, reason: result.reason, stale: result.stale, presented: result.reason !== 'missing' };
}
