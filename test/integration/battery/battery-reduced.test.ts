import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { failures, runBattery } from '../../battery/lib/battery.js';
import { REDUCED_SIZES } from '../../battery/lib/context.js';

/*
 * The reliability and security battery of `npm run battery` (test/battery/), at a tiny size:
 * the real API, render, relay and notify processes against a Postgres and a Redis of its own,
 * with worker kills, Redis restarts and a FLUSHALL, a Postgres restart, SIGTERM with renders in
 * flight, MAC enumeration, cross-device credentials, the OpenAPI tenant-isolation sweep and the
 * secret-canary search. It asserts the invariants only (never timings); every wait is a
 * generous deadline, so a loaded machine makes it slower, not red.
 */
describe('reliability and security battery (reduced)', () => {
  it(
    'holds every invariant against the real service processes',
    async () => {
      const log: string[] = [];
      const name = `reduced-${process.pid}`;
      const report = await runBattery(name, REDUCED_SIZES, (line) => log.push(line));
      const failed = failures(report);
      // On failure the run's folder stays (service logs, battery.log); on success it goes.
      if (failed.length) console.log(log.join('\n'));
      else rmSync(`.data/battery-${name}`, { recursive: true, force: true });
      expect(failed).toEqual([]);
      expect(report.results.map((result) => result.name)).toEqual([
        'credentials',
        'enumeration',
        'isolation',
        'worker-kills',
        'sigterm',
        'redis',
        'postgres',
        'canaries',
      ]);
      for (const result of report.results) expect(result.invariants.length, result.name).toBeGreaterThan(0);
    },
    20 * 60_000,
  );
});
