import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stopChild } from '../../scripts/stack/processes.js';

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  /** The Node process itself (tsx is loaded with --import, so no wrapper process sits between). */
  pid: number;
  logPath: string;
  exited: Promise<number | null>;
  stop: () => Promise<void>;
}

export function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short=10', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--', 'src', 'workers'], { encoding: 'utf8' }).trim() !== '';
    return dirty && process.env.BENCH_TREE !== 'head' ? `${sha}+dirty` : sha;
  } catch {
    return 'unknown';
  }
}

let root: string | undefined;

/**
 * Where service processes run from: the working tree, or with BENCH_TREE=head a snapshot of the
 * committed tree (so edits in progress in the working tree cannot break a long run).
 */
export function serviceRoot(): string {
  if (root) return root;
  if (process.env.BENCH_TREE !== 'head') return (root = resolve('.'));
  const sha = execFileSync('git', ['rev-parse', '--short=10', 'HEAD'], { encoding: 'utf8' }).trim();
  const dir = resolve('.data', `bench-tree-${sha}`);
  if (!existsSync(join(dir, 'package.json'))) {
    mkdirSync(dir, { recursive: true });
    execFileSync('sh', ['-c', `git archive HEAD | tar -x -C '${dir}'`]);
  }
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
  return (root = dir);
}

/** Runs one of the project's entry points as its own Node process, output to `<dir>/<name>.log`. */
export function runService(name: string, script: string, env: Record<string, string>, dir: string): ServiceProcess {
  const logPath = join(dir, `${name}.log`);
  const log = openSync(logPath, 'w');
  const cwd = serviceRoot();
  // BENCH_CPU_PROFILE=1: a V8 CPU profile per process, written on exit (summarise with bench/profile-summary.ts).
  // One folder per process: the tsx loader thread writes its own (mostly idle) profile beside the main thread's.
  const profile = process.env.BENCH_CPU_PROFILE
    ? ['--cpu-prof', '--cpu-prof-dir', join(dir, 'profiles', `${name}-${Date.now()}`)]
    : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', join(cwd, script)], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    name,
    child,
    pid: child.pid!,
    logPath,
    exited,
    stop: () => stopChild(child, 'SIGTERM', 30_000),
  };
}
