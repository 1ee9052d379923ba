import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chownSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface RunAs {
  uid: number;
  gid: number;
}

/**
 * Postgres refuses to run as root. When we are root we run it as `nobody`, which exists on
 * every Debian/Ubuntu image, and hand it the data folder.
 */
export function unprivilegedUser(): RunAs | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const uid = Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) {
    throw new Error('running as root but no "nobody" user exists to run Postgres; create one or run as a normal user');
  }
  return { uid, gid };
}

export function chownTree(path: string, user: RunAs): void {
  chownSync(path, user.uid, user.gid);
  if (!statSync(path).isDirectory()) return;
  for (const entry of readdirSync(path)) chownTree(join(path, entry), user);
}

export function ensureDir(path: string, user?: RunAs): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  if (user) chownSync(path, user.uid, user.gid);
}

export function runSync(command: string, args: string[], options: SpawnOptions & { user?: RunAs } = {}): string {
  const { user, ...rest } = options;
  const result = spawnSync(command, args, { encoding: 'utf8', ...rest, ...(user ?? {}) });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${String(result.stderr ?? '').trim().slice(-2000)}`);
  }
  return String(result.stdout ?? '');
}

export function startChild(command: string, args: string[], options: SpawnOptions & { user?: RunAs; logFile?: number } = {}): ChildProcess {
  const { user, logFile, ...rest } = options;
  const stdio: SpawnOptions['stdio'] = logFile !== undefined ? ['ignore', logFile, logFile] : ['ignore', 'ignore', 'inherit'];
  return spawn(command, args, { stdio, ...rest, ...(user ?? {}) });
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms`);
}

/** Resolves once the child has exited, or after `timeoutMs` with SIGKILL. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals, timeoutMs = 15000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}
