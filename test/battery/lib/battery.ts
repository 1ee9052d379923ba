import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { canarySearch, emptySnapshots, snapshotRedis } from '../scenarios/canaries.js';
import { crossDeviceCredentials } from '../scenarios/credentials.js';
import { enumeration } from '../scenarios/enumeration.js';
import { isolationSweep } from '../scenarios/isolation.js';
import { postgresRestarts } from '../scenarios/postgres-restarts.js';
import { redisFaults } from '../scenarios/redis-faults.js';
import { sigtermInFlight } from '../scenarios/sigterm.js';
import { workerKills } from '../scenarios/worker-kills.js';
import { closeContext, createContext, type BatteryContext, type BatterySizes } from './context.js';
import { Recorder, type ScenarioResult } from './result.js';

export interface BatteryReport {
  date: string;
  commit: string;
  machine: string;
  sizes: BatterySizes;
  seconds: number;
  results: ScenarioResult[];
}

interface Scenario {
  name: string;
  title: string;
  run: (context: BatteryContext, record: Recorder) => Promise<void>;
}

export function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short=10', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--', 'src', 'workers'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${sha}+dirty` : sha;
  } catch {
    return 'unknown';
  }
}

/**
 * Every scenario in order on one stack. Attacks come first (they need the seeded state intact;
 * the credential check also makes the devices "seen", so later changes send AMI notifies), then
 * the faults, then the canary search over everything the run produced.
 */
export async function runBattery(
  name: string,
  sizes: BatterySizes,
  log: (message: string) => void,
  only?: string[],
): Promise<BatteryReport> {
  const started = Date.now();
  // Every line also goes to the run's folder (with the service logs), stamped with seconds since the start.
  const pending: string[] = [];
  let logFile: string | undefined;
  const say = (message: string) => {
    const line = `[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`;
    log(line);
    if (!logFile) return void pending.push(line);
    appendFileSync(
      logFile,
      `${pending
        .splice(0)
        .map((l) => `${l}\n`)
        .join('')}${line}\n`,
    );
  };
  const context = await createContext(name, sizes, say);
  logFile = join(context.stack.dir, 'battery.log');
  context.log = say;
  const snapshots = emptySnapshots();
  const scenarios: Scenario[] = [
    {
      name: 'credentials',
      title: 'Attack: device A’s credentials against device B’s files',
      run: crossDeviceCredentials,
    },
    { name: 'enumeration', title: 'Attack: MAC enumeration from one and from many source addresses', run: enumeration },
    { name: 'isolation', title: 'Attack: tenant isolation sweep over the OpenAPI document', run: isolationSweep },
    { name: 'worker-kills', title: 'Fault: kill -9 of render workers during a contacts import', run: workerKills },
    { name: 'sigterm', title: 'Fault: SIGTERM with renders in flight', run: sigtermInFlight },
    { name: 'redis', title: 'Fault: Redis kill -9 and restart, and FLUSHALL', run: redisFaults },
    { name: 'postgres', title: 'Fault: Postgres restarts during a contacts import', run: postgresRestarts },
    {
      name: 'canaries',
      title: 'Secret canaries in logs, Redis, job data and error bodies',
      run: (ctx, record) => canarySearch(ctx, record, snapshots),
    },
  ];
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of scenarios) {
      if (only?.length && !only.includes(scenario.name) && scenario.name !== 'canaries') continue;
      say(`== ${scenario.name}: ${scenario.title}`);
      const record = new Recorder();
      const scenarioStarted = Date.now();
      let error: string | undefined;
      try {
        await scenario.run(context, record);
        // Before the Redis scenario flushes everything: look at what the earlier ones left.
        if (scenario.name === 'sigterm' || scenario.name === 'enumeration') await snapshotRedis(context, snapshots);
      } catch (caught) {
        error = (caught as Error).stack ?? String(caught);
        say(`   FAILED: ${error}`);
      }
      const result: ScenarioResult = {
        name: scenario.name,
        title: scenario.title,
        seconds: Math.round((Date.now() - scenarioStarted) / 100) / 10,
        figures: record.figures,
        invariants: record.invariants,
        ...(error ? { error } : {}),
      };
      for (const invariant of result.invariants)
        say(`   ${invariant.ok ? 'ok  ' : 'FAIL'} ${invariant.name}: ${invariant.detail}`);
      results.push(result);
    }
  } finally {
    await closeContext(context);
  }
  return {
    date: new Date().toISOString(),
    commit: gitCommit(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    sizes,
    seconds: Math.round((Date.now() - started) / 1000),
    results,
  };
}

/** Every invariant that did not hold, and every scenario that stopped on an error. */
export function failures(report: BatteryReport): string[] {
  return report.results.flatMap((result) => [
    ...(result.error ? [`${result.name}: stopped: ${result.error.split('\n')[0]}`] : []),
    ...result.invariants
      .filter((invariant) => !invariant.ok)
      .map((invariant) => `${result.name}: ${invariant.name}: ${invariant.detail}`),
  ]);
}
