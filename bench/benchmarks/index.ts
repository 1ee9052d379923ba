import type { Benchmark } from '../lib/benchmark.js';
import { adminWrites } from './admin-writes.js';
import { bootStorm } from './boot-storm.js';
import { burstCoalescing } from './burst-coalescing.js';
import { consoleLists } from './console-lists.js';
import { fanoutLatency } from './fanout-latency.js';
import { importBenchmark } from './import.js';
import { phonebookBuild } from './phonebook-build.js';
import { renderThroughput } from './render-throughput.js';
import { serving } from './serving.js';

/** Every benchmark, in the order `npm run bench` runs them. */
export const BENCHMARKS: readonly Benchmark[] = [
  serving,
  bootStorm,
  renderThroughput,
  fanoutLatency,
  burstCoalescing,
  phonebookBuild,
  importBenchmark,
  consoleLists,
  adminWrites,
];
