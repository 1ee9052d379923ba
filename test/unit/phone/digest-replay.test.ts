import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NC_WINDOW,
  NcWindow,
  NonceReplayGuard,
  type ClaimResult,
  type NonceClaimStore,
} from '#src/modules/phone/digest-replay.js';

/** The Redis claim semantics in memory, shared by several guards ("processes"); counts round trips. */
function sharedClaims() {
  const owners = new Map<string, string>();
  const calls: string[] = [];
  let failing = false;
  const storeFor = (): NonceClaimStore => ({
    claim: async (key, owner): Promise<ClaimResult> => {
      calls.push(owner);
      if (failing) throw new Error('redis unreachable');
      const current = owners.get(key);
      if (current === undefined) {
        owners.set(key, owner);
        return 'claimed';
      }
      return current === owner ? 'mine' : 'other';
    },
  });
  return { storeFor, calls, flush: () => owners.clear(), fail: (value: boolean) => (failing = value) };
}

function guards(options: { recheckMs?: number; maxNonces?: number } = {}) {
  let now = 1_700_000_000_000;
  const claims = sharedClaims();
  const make = () => new NonceReplayGuard(claims.storeFor(), { keyPrefix: 't', now: () => now, ...options });
  return { claims, make, advance: (ms: number) => (now += ms), now: () => now };
}

const use = (guard: NonceReplayGuard, nonce: string, nc: number, now: number) =>
  guard.use(nonce, nc, 'provd', now, now + 300_000);

describe('NcWindow', () => {
  it('accepts each nc once, in or out of order within the window, and nothing too far behind', () => {
    const window = new NcWindow();
    expect(window.accept(1)).toBe(true);
    expect(window.accept(1)).toBe(false);
    expect(window.accept(3)).toBe(true);
    expect(window.accept(2)).toBe(true);
    expect(window.accept(2)).toBe(false);
    expect(window.accept(3 + NC_WINDOW)).toBe(true);
    expect(window.accept(3)).toBe(false);
    expect(window.accept(4)).toBe(true);
    expect(window.accept(4)).toBe(false);
    expect(window.accept(0xffffffff)).toBe(true);
    expect(window.accept(0xffffffff)).toBe(false);
  });

  it('never accepts the same nc twice, whatever the order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2000 }), { maxLength: 400 }), (sequence) => {
        const window = new NcWindow();
        const accepted = new Set<number>();
        for (const nc of sequence) {
          if (window.accept(nc)) {
            expect(accepted.has(nc)).toBe(false);
            accepted.add(nc);
          }
        }
      }),
    );
  });

  it('accepts every nc of a phone counting up', () => {
    const window = new NcWindow();
    for (let nc = 1; nc <= 5 * NC_WINDOW; nc++) expect(window.accept(nc)).toBe(true);
  });
});

describe('NonceReplayGuard', () => {
  it('claims a nonce once, then answers from memory', async () => {
    const { make, claims, now } = guards();
    const a = make();
    expect(await use(a, 'n1', 1, now())).toBe('accepted');
    expect(use(a, 'n1', 2, now())).toBe('accepted');
    expect(use(a, 'n1', 2, now())).toBe('replay');
    expect(claims.calls).toHaveLength(1);
  });

  it('a nonce owned by one process is refused by another, for every nc', async () => {
    const { make, now } = guards();
    const [a, b] = [make(), make()];
    expect(await use(a, 'n1', 1, now())).toBe('accepted');
    expect(await use(b, 'n1', 1, now())).toBe('elsewhere');
    expect(await use(b, 'n1', 2, now())).toBe('elsewhere');
    expect(use(a, 'n1', 2, now())).toBe('accepted');
  });

  it('concurrent first requests on one process share one claim and still count nc once', async () => {
    const { make, claims, now } = guards();
    const a = make();
    const results = await Promise.all([use(a, 'n1', 1, now()), use(a, 'n1', 1, now()), use(a, 'n1', 2, now())]);
    expect(results.sort()).toEqual(['accepted', 'accepted', 'replay']);
    expect(claims.calls).toHaveLength(1);
  });

  it('a process that forgot a nonce it owns (evicted) never starts counting it again', async () => {
    const { make, now } = guards({ maxNonces: 2 });
    const a = make();
    for (const nonce of ['n1', 'n2', 'n3']) expect(await use(a, nonce, 1, now())).toBe('accepted');
    expect(a.size).toBe(2);
    // n1 was the oldest: its claim in Redis is still ours, but without the count it is refused.
    expect(await use(a, 'n1', 2, now())).toBe('elsewhere');
    expect(await use(a, 'n1', 1, now())).toBe('elsewhere');
  });

  it('re-reads its claim after recheckMs; after Redis lost it, the owner takes it back with its count', async () => {
    const { make, claims, advance, now } = guards({ recheckMs: 1000 });
    const a = make();
    const issued = now();
    expect(await use(a, 'n1', 1, issued)).toBe('accepted');
    claims.flush();
    advance(1500);
    expect(await use(a, 'n1', 1, issued)).toBe('replay');
    expect(await use(a, 'n1', 2, issued)).toBe('accepted');
    expect(claims.calls).toHaveLength(2);
    const b = make();
    expect(await use(b, 'n1', 3, issued)).toBe('elsewhere');
  });

  it('gives a nonce up when a re-check finds another owner (Redis lost the claim and another process took it)', async () => {
    const { make, claims, advance, now } = guards({ recheckMs: 1000 });
    const [a, b] = [make(), make()];
    const issued = now();
    expect(await use(a, 'n1', 1, issued)).toBe('accepted');
    claims.flush();
    expect(await use(b, 'n1', 2, issued)).toBe('accepted');
    advance(1500);
    expect(await use(a, 'n1', 3, issued)).toBe('elsewhere');
    expect(a.known('n1', 'provd')).toBeUndefined();
  });

  it('keeps counting on its own when Redis is unreachable at a re-check, and fails closed on a first claim', async () => {
    const { make, claims, advance, now } = guards({ recheckMs: 1000 });
    const a = make();
    const issued = now();
    expect(await use(a, 'n1', 1, issued)).toBe('accepted');
    claims.fail(true);
    advance(1500);
    expect(await use(a, 'n1', 2, issued)).toBe('accepted');
    expect(await use(a, 'n1', 2, issued)).toBe('replay');
    await expect(use(a, 'n2', 1, now())).rejects.toThrow('redis unreachable');
  });

  it('forgets expired nonces', async () => {
    const { make, advance, now } = guards();
    const a = make();
    expect(await use(a, 'n1', 1, now())).toBe('accepted');
    advance(400_000);
    expect(await use(a, 'n2', 1, now())).toBe('accepted');
    expect(a.known('n1', 'provd')).toBeUndefined();
    expect(a.size).toBe(1);
  });

  it('binds a known nonce to its realm', async () => {
    const { make, now } = guards();
    const a = make();
    await use(a, 'n1', 1, now());
    expect(a.known('n1', 'provd')).toBeDefined();
    expect(a.known('n1', 'other')).toBeUndefined();
  });
});
