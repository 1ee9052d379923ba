import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeMachine, type MachineInfo } from './machine.js';
import { median, sig } from './stats.js';

export interface Metric {
  id: string;
  label: string;
  unit: string;
  /** The median over runs (or the single measured value). */
  value: number;
  runs?: number[];
  /** The quality bar's target for this figure, in words. */
  target?: string;
  met?: boolean;
}

export interface BenchResult {
  name: string;
  title: string;
  date: string;
  commit: string;
  scale: number;
  runs: number;
  seconds: number;
  machine: MachineInfo;
  loadAverageAfter: [number, number, number];
  parameters: Record<string, unknown>;
  metrics: Metric[];
  notes: string[];
}

/** A metric from per-run values: the median, with the runs kept. */
export function metricOf(
  id: string,
  label: string,
  unit: string,
  runs: number[],
  target?: { text: string; met: (value: number) => boolean },
): Metric {
  const value = median(runs);
  return { id, label, unit, value, runs, ...(target ? { target: target.text, met: target.met(value) } : {}) };
}

/** bench/results, or BENCH_RESULTS_DIR (the smoke test writes to a temp folder). */
export const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? join('bench', 'results');

function show(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  const text = Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : String(sig(value, 3));
  return unit ? `${text} ${unit}` : text;
}

function verdict(metric: Metric): string {
  return metric.met === undefined ? '' : metric.met ? 'met' : '**missed**';
}

export function markdownOf(result: BenchResult): string {
  const lines = [
    `# ${result.title}`,
    '',
    `${result.date} · commit ${result.commit} · scale ${result.scale} · ${result.runs} run(s) · ${Math.round(result.seconds)} s`,
    '',
    `Machine: ${describeMachine(result.machine)} (load after: ${result.loadAverageAfter.join(' / ')})`,
    '',
    `Parameters: ${Object.entries(result.parameters)
      .map(([key, value]) => `${key} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
      .join(', ')}`,
    '',
    '| Figure | Median | Runs | Target | |',
    '|---|---|---|---|---|',
    ...result.metrics.map(
      (m) =>
        `| ${m.label} | ${show(m.value, m.unit)} | ${(m.runs ?? []).map((v) => show(v, '')).join(', ')} | ${m.target ?? ''} | ${verdict(m)} |`,
    ),
    '',
    ...result.notes.map((note) => `- ${note}`),
    '',
  ];
  return lines.join('\n');
}

export function writeResult(result: BenchResult, raw: unknown): void {
  mkdirSync(join(RESULTS_DIR, 'raw'), { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${result.name}.json`), JSON.stringify(result, null, 2) + '\n');
  writeFileSync(join(RESULTS_DIR, `${result.name}.md`), markdownOf(result));
  const stamp = result.date.replace(/[:.]/g, '-');
  writeFileSync(
    join(RESULTS_DIR, 'raw', `${result.name}-${stamp}.json`),
    JSON.stringify({ result, raw }, null, 2) + '\n',
  );
}

/** bench/results/README.md: every benchmark's latest headline figures against its targets. */
export function writeIndex(order: readonly string[]): void {
  const results = readdirSync(RESULTS_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(join(RESULTS_DIR, file), 'utf8')) as BenchResult)
    .sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  const lines = [
    '# Benchmark results',
    '',
    'Latest run of each benchmark (`npm run bench`, see docs/performance.md). Medians over the runs;',
    'ratios are measured side by side in the same run. Per-benchmark details: `<name>.md`.',
    '',
    '| Benchmark | Figure | Median | Target | | Scale | Load (1 min) | Date | Commit |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const result of results) {
    for (const metric of result.metrics.filter((m) => m.target !== undefined || result.metrics.length <= 4)) {
      lines.push(
        `| [${result.name}](${result.name}.md) | ${metric.label} | ${show(metric.value, metric.unit)} | ${metric.target ?? ''} | ${verdict(metric)} | ${result.scale} | ${result.machine.loadAverage[0]} | ${result.date.slice(0, 10)} | ${result.commit} |`,
      );
    }
  }
  lines.push('');
  writeFileSync(join(RESULTS_DIR, 'README.md'), lines.join('\n'));
}
