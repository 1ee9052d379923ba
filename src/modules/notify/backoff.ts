/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so a PBX that
 * restarts is not hit by every worker's reconnect in the same instant.
 */
export function backoffDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
