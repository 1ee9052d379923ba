/**
 * `npm run battery` — the reliability and security battery against the real processes.
 * `npm run battery -- <scenario> …` runs only those (plus the canary search).
 * Env: BATTERY_SCALE (default 1: the issue's sizes; 0.1 is a quick look).
 * Writes test/battery/results/scale-<scale>.json and docs/reliability.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { failures, runBattery } from './lib/battery.js';
import { sizesFor } from './lib/context.js';
import { renderReliabilityDoc } from './lib/report.js';

const scale = Number(process.env.BATTERY_SCALE ?? 1);
if (!(scale > 0)) {
  console.error('BATTERY_SCALE must be a positive number');
  process.exit(2);
}
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const sizes = sizesFor(scale);
console.log(`battery at scale ${scale}: ${JSON.stringify(sizes)}`);
const report = await runBattery(`run-${process.pid}`, sizes, (message) => console.log(message), only);
mkdirSync('test/battery/results', { recursive: true });
const jsonPath = `test/battery/results/scale-${scale}${only.length ? `-${only.join('-')}` : ''}.json`;
writeFileSync(jsonPath, JSON.stringify({ scale, ...report }, null, 2) + '\n');
if (!only.length) writeFileSync('docs/reliability.md', renderReliabilityDoc({ scale, ...report }));
const failed = failures(report);
console.log(
  `\n${report.results.length} scenarios in ${report.seconds} s; results in ${jsonPath}${only.length ? '' : ' and docs/reliability.md'}`,
);
if (failed.length) {
  console.log(`FAILED (${failed.length}):\n  ${failed.join('\n  ')}`);
  process.exit(1);
}
console.log('every invariant held');
process.exit(0);
