/**
 * `npm run bench` (every benchmark) or `npm run bench -- <name> [<name>…]`.
 * Env: BENCH_SCALE (default 1), BENCH_RUNS (default per benchmark), BENCH_TREE=head (run the
 * service from the committed tree), PROVD_DATABASE_URL / PROVD_REDIS_URL (existing servers),
 * BENCH_SHARED_STACK=1 (one stack and its service processes for every benchmark; bench/lib/stack.ts).
 */
import { machineInfo, describeMachine } from './lib/machine.js';
import { writeIndex, writeResult, type BenchResult } from './lib/results.js';
import { gitCommit } from './lib/service.js';
import { stopSharedStack } from './lib/stack.js';
import { BENCHMARKS } from './benchmarks/index.js';

const names = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = names.filter((name) => !BENCHMARKS.some((bench) => bench.name === name));
if (unknown.length) {
  console.error(
    `unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHMARKS.map((bench) => bench.name).join(', ')}`,
  );
  process.exit(2);
}
const selected = names.length ? BENCHMARKS.filter((bench) => names.includes(bench.name)) : BENCHMARKS;
const scale = Number(process.env.BENCH_SCALE ?? 1);
if (!(scale > 0)) {
  console.error('BENCH_SCALE must be a positive number');
  process.exit(2);
}

const failures: string[] = [];
for (const bench of selected) {
  const runs = Number(process.env.BENCH_RUNS ?? bench.defaultRuns);
  const machine = machineInfo();
  const started = Date.now();
  console.log(`\n== ${bench.name}: ${bench.title}\n   ${describeMachine(machine)}; scale ${scale}, ${runs} run(s)`);
  try {
    const outcome = await bench.run({ scale, runs, log: (message) => console.log(`   [${bench.name}] ${message}`) });
    const result: BenchResult = {
      name: bench.name,
      title: bench.title,
      date: new Date().toISOString(),
      commit: gitCommit(),
      scale,
      runs,
      seconds: (Date.now() - started) / 1000,
      machine,
      loadAverageAfter: machineInfo().loadAverage,
      parameters: outcome.parameters,
      metrics: outcome.metrics,
      notes: outcome.notes,
    };
    writeResult(result, outcome.raw);
    for (const metric of result.metrics) {
      const verdict = metric.met === undefined ? '' : metric.met ? '  [met]' : '  [MISSED]';
      console.log(
        `   ${metric.label}: ${metric.value} ${metric.unit}${metric.target ? `  (target ${metric.target})` : ''}${verdict}`,
      );
    }
  } catch (error) {
    failures.push(bench.name);
    console.error(`   ${bench.name} failed: ${(error as Error).stack ?? String(error)}`);
  }
}
await stopSharedStack();
writeIndex(BENCHMARKS.map((bench) => bench.name));
console.log(`\nresults: bench/results/README.md${failures.length ? `; FAILED: ${failures.join(', ')}` : ''}`);
process.exit(failures.length ? 1 : 0);
