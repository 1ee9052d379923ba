import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Self-validating digest nonces: `base64url(issuedAtMs ‖ random ‖ HMAC)`, the HMAC keyed with a
 * server secret and bound to the realm. Any serving process holding the key can check a nonce
 * without shared state; replay of (nonce, nc) is tracked separately (digest-replay.ts).
 */

const TIME_BYTES = 8;
const RANDOM_BYTES = 16;
const MAC_BYTES = 16;
const NONCE_BYTES = TIME_BYTES + RANDOM_BYTES + MAC_BYTES;
/** Tolerates clocks of serving processes that differ slightly. */
const FUTURE_SKEW_MS = 5000;

export type NonceState =
  { state: 'fresh'; issuedAtMs: number } | { state: 'stale'; issuedAtMs: number } | { state: 'invalid' };

export class DigestNonces {
  private readonly key: Buffer;

  constructor(
    key: Buffer | string,
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.key = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
    if (this.key.length < 32) throw new RangeError('digest nonce key needs at least 32 bytes');
    if (!(ttlMs > 0)) throw new RangeError('digest nonce lifetime must be positive');
  }

  issue(realm: string): string {
    const body = Buffer.alloc(TIME_BYTES + RANDOM_BYTES);
    body.writeBigUInt64BE(BigInt(Math.floor(this.now())), 0);
    randomBytes(RANDOM_BYTES).copy(body, TIME_BYTES);
    return Buffer.concat([body, this.mac(body, realm)]).toString('base64url');
  }

  check(nonce: string, realm: string): NonceState {
    if (nonce.length !== Math.ceil((NONCE_BYTES * 4) / 3) || !/^[A-Za-z0-9_-]+$/.test(nonce))
      return { state: 'invalid' };
    const raw = Buffer.from(nonce, 'base64url');
    if (raw.length !== NONCE_BYTES) return { state: 'invalid' };
    const body = raw.subarray(0, TIME_BYTES + RANDOM_BYTES);
    if (!timingSafeEqual(raw.subarray(TIME_BYTES + RANDOM_BYTES), this.mac(body, realm))) return { state: 'invalid' };
    return this.ageState(Number(body.readBigUInt64BE(0)));
  }

  /** Fresh or stale by age alone, for a nonce whose HMAC was already checked. */
  ageState(issuedAtMs: number): NonceState {
    const age = this.now() - issuedAtMs;
    if (age < -FUTURE_SKEW_MS) return { state: 'invalid' };
    return age > this.ttlMs ? { state: 'stale', issuedAtMs } : { state: 'fresh', issuedAtMs };
  }

  /** Milliseconds until a nonce issued at `issuedAtMs` expires (at least 1). */
  remainingMs(issuedAtMs: number): number {
    return Math.max(1, issuedAtMs + this.ttlMs - this.now());
  }

  private mac(body: Buffer, realm: string): Buffer {
    return createHmac('sha256', this.key)
      .update('provd-digest-nonce\0')
      .update(realm, 'utf8')
      .update('\0')
      .update(body)
      .digest()
      .subarray(0, MAC_BYTES);
  }
}
