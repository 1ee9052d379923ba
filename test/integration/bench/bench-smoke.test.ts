import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { BENCHMARKS } from '../../../bench/benchmarks/index.js';

/**
 * Keeps the benchmarks from rotting: every one runs once at a tiny scale, on the suite's Postgres
 * and Redis, writing to a temp folder. Asserts the shape of what they write, never a timing.
 * BENCH_SHARED_STACK: one database and one set of service processes for all of them (restarted
 * only where a benchmark asks for another environment), instead of a stack start per benchmark.
 */
const resultsDir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));

function runBench(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts'], {
      env: {
        ...process.env,
        BENCH_SCALE: '0.001',
        BENCH_RUNS: '1',
        BENCH_RESULTS_DIR: resultsDir,
        BENCH_NO_INSTALL: '1',
        BENCH_SHARED_STACK: '1',
        PROVD_DATABASE_URL: inject('pgAdminUrl'),
        PROVD_REDIS_URL: inject('redisUrl'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('benchmarks at smoke scale', () => {
  afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));

  it('every benchmark runs and writes JSON, markdown, raw data and the index', { timeout: 900_000 }, async () => {
    const { code, output } = await runBench();
    // A benchmark's failure (its stack) is printed where it happened, long before the tail.
    const failures = [...output.matchAll(/^ {3}\S+ failed: [\s\S]{0,1500}/gm)].map((match) => match[0]).join('\n…\n');
    expect(code, `${failures}\n…\n${output.slice(-2500)}`).toBe(0);
    for (const bench of BENCHMARKS) {
      const jsonPath = join(resultsDir, `${bench.name}.json`);
      expect(existsSync(jsonPath), `${bench.name}.json`).toBe(true);
      const result = JSON.parse(readFileSync(jsonPath, 'utf8'));
      expect(result).toMatchObject({ name: bench.name, title: bench.title, scale: 0.001, runs: 1 });
      expect(Date.parse(result.date)).not.toBeNaN();
      expect(result.machine.cores).toBeGreaterThan(0);
      expect(result.machine.node).toBe(process.version);
      expect(result.machine.loadAverage).toHaveLength(3);
      expect(result.loadAverageAfter).toHaveLength(3);
      expect(typeof result.parameters).toBe('object');
      expect(result.metrics.length).toBeGreaterThan(0);
      for (const metric of result.metrics) {
        expect(metric).toEqual(
          expect.objectContaining({ id: expect.any(String), label: expect.any(String), unit: expect.any(String) }),
        );
        expect(typeof metric.value).toBe('number');
        if (metric.target !== undefined) expect(typeof metric.met).toBe('boolean');
      }
      expect(Array.isArray(result.notes)).toBe(true);
      const markdown = readFileSync(join(resultsDir, `${bench.name}.md`), 'utf8');
      expect(markdown).toContain(`# ${bench.title}`);
      expect(markdown).toContain('| Figure | Median | Runs | Target |');
      expect(readdirSync(join(resultsDir, 'raw')).some((file) => file.startsWith(`${bench.name}-`))).toBe(true);
    }
    const index = readFileSync(join(resultsDir, 'README.md'), 'utf8');
    for (const bench of BENCHMARKS) expect(index).toContain(`[${bench.name}](${bench.name}.md)`);
  });
});
