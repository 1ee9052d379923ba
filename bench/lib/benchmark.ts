import type { Metric } from './results.js';

export interface BenchContext {
  /** Multiplies every size (BENCH_SCALE; 1 = the sizes of the quality bar). */
  scale: number;
  /** Repetitions whose median is reported (BENCH_RUNS, else the benchmark's default). */
  runs: number;
  log: (message: string) => void;
}

export interface BenchOutcome {
  parameters: Record<string, unknown>;
  metrics: Metric[];
  notes: string[];
  /** Per-run detail, written to bench/results/raw/ (git-ignored). */
  raw: unknown;
}

export interface Benchmark {
  name: string;
  title: string;
  defaultRuns: number;
  run: (context: BenchContext) => Promise<BenchOutcome>;
}

/** `size × scale`, at least `min`. */
export function scaled(size: number, scale: number, min = 1): number {
  return Math.max(min, Math.round(size * scale));
}
