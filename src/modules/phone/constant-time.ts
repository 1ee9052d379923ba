import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two secrets without leaking where they differ or how long the expected one is:
 * both sides are hashed to 32 bytes first, so `timingSafeEqual` always sees equal lengths.
 */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/**
 * Compares two lowercase hex digests of the same algorithm. A length mismatch is public
 * information (the algorithm fixes it), but the comparison still runs over equal-length buffers.
 */
export function digestsEqual(given: string, expected: string): boolean {
  const expectedBuffer = Buffer.from(expected, 'utf8');
  const givenBuffer = Buffer.from(given, 'utf8');
  if (givenBuffer.length !== expectedBuffer.length) {
    timingSafeEqual(expectedBuffer, expectedBuffer);
    return false;
  }
  return timingSafeEqual(givenBuffer, expectedBuffer);
}
