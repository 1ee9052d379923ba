import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { scaled, type Benchmark } from '../lib/benchmark.js';
import { metricOf, type Metric } from '../lib/results.js';
import { serviceRoot } from '../lib/service.js';
import { median } from '../lib/stats.js';

/** The child from the tree the service runs (BENCH_TREE=head: the committed one), else this one. */
function childScript(): { cwd: string; script: string } {
  const cwd = serviceRoot();
  const script = join(cwd, 'bench/benchmarks/phonebook-build.child.ts');
  return existsSync(script)
    ? { cwd, script }
    : { cwd: resolve('.'), script: resolve('bench/benchmarks/phonebook-build.child.ts') };
}

async function child(args: string[]): Promise<string> {
  const { cwd, script } = childScript();
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script, ...args], { cwd, maxBuffer: 1 << 20 });
  return stdout.trim().split('\n').pop()!;
}

const run = promisify(execFile);

interface ChildResult {
  ms: number;
  bytes: number;
  files: number;
  entries: number;
  baselineMB: number;
  peakMB: number;
}

/**
 * 6. Phonebook build: the pure renderPhonebook over 50,000 contacts, per vendor format, each run
 * in its own child process (so VmHWM is that render's peak). The "memory bounded" bar is checked
 * as: peak RSS growth over the process baseline < output size + a fixed working set (the output
 * is returned as one Buffer, so it is held once by design; a book held as one giant string twice
 * plus its entries would add several times the output on top).
 */
const WORKING_SET_MB = 64;
export const phonebookBuild: Benchmark = {
  name: 'phonebook-build',
  title: 'Phonebook build: 50,000 contacts per vendor format',
  defaultRuns: 3,
  async run({ scale, runs, log }) {
    const contacts = scaled(50_000, scale, 10);
    const raw: Record<string, ChildResult[]> = {};
    const metrics: Metric[] = [];
    const formats = JSON.parse(await child(['--formats'])) as string[];
    for (const format of formats) {
      raw[format] = [];
      for (let i = 0; i < runs; i++) {
        raw[format].push(JSON.parse(await child([format, String(contacts)])) as ChildResult);
      }
      const results = raw[format];
      const bytesMB = results[0]!.bytes / 2 ** 20;
      log(
        `${format}: ${median(results.map((r) => r.ms)).toFixed(0)} ms, ${bytesMB.toFixed(1)} MB out, peak ${median(results.map((r) => r.peakMB))} MB`,
      );
      metrics.push(
        metricOf(
          `${format}.ms`,
          `${format}: render time`,
          'ms',
          results.map((r) => r.ms),
          { text: '< 1,000 ms', met: (v) => v < 1000 },
        ),
        metricOf(
          `${format}.peakMB`,
          `${format}: peak RSS (${results[0]!.entries} entries)`,
          'MB',
          results.map((r) => r.peakMB),
        ),
        metricOf(
          `${format}.growthMB`,
          `${format}: peak RSS growth over the process baseline (output ${bytesMB.toFixed(1)} MB)`,
          'MB',
          results.map((r) => r.peakMB - r.baselineMB),
          {
            text: `< output + ${WORKING_SET_MB} MB`,
            met: (v) => v < bytesMB + WORKING_SET_MB,
          },
        ),
      );
    }
    return {
      parameters: { contacts, formats: formats.length, numbersPerContact: 3 },
      metrics,
      notes: [
        'Pure renderPhonebook (no database): entries come from a generator, as from a database cursor.',
        'Each render runs in a fresh child process (`node --import tsx`); its baseline RSS (tsx + modules loaded) is in the raw data.',
        `Memory bar: growth < output + ${WORKING_SET_MB} MB (V8 young generation, the entry generator, the XML writer's chunks). Growth with all 50,000 entries read but a capped output (Grandstream, Gigaset) shows that working set alone.`,
        'Formats with a vendor cap (e.g. Gigaset 2,000) render fewer entries: the entries column says how many.',
      ],
      raw,
    };
  },
};
