import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chownSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

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
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}: ${String(result.stderr ?? '')
        .trim()
        .slice(-2000)}`,
    );
  }
  return String(result.stdout ?? '');
}

export function startChild(
  command: string,
  args: string[],
  options: SpawnOptions & { user?: RunAs; logFile?: number } = {},
): ChildProcess {
  const { user, logFile, ...rest } = options;
  const stdio: SpawnOptions['stdio'] =
    logFile !== undefined ? ['ignore', logFile, logFile] : ['ignore', 'ignore', 'inherit'];
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

/**
 * `waitFor`, but gives up at once when `child` exits first: a server that cannot start (port taken,
 * unreadable data dir) must say why now, not after the timeout. `why` returns the reason to show
 * (typically the new tail of the child's log).
 */
export async function waitForChild(
  child: ChildProcess,
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  why: () => string,
): Promise<void> {
  let onExit: (() => void) | undefined;
  const exited = new Promise<never>((_, reject) => {
    onExit = () => {
      const code = child.exitCode ?? child.signalCode;
      const reason = why().trim();
      reject(new Error(`${what} exited (${code}) before it became ready${reason ? `: ${reason}` : ''}`));
    };
    if (child.exitCode !== null || child.signalCode !== null) onExit();
    else child.once('exit', onExit);
  });
  // A spawn failure (missing binary) is an 'error' event, not an exit.
  let onError: ((error: Error) => void) | undefined;
  const failed = new Promise<never>((_, reject) => {
    onError = (error) => reject(new Error(`${what} could not start: ${error.message}`));
    child.once('error', onError);
  });
  // The loser of the race must not surface later as an unhandled rejection.
  exited.catch(() => undefined);
  failed.catch(() => undefined);
  try {
    await Promise.race([waitFor(check, timeoutMs, what), exited, failed]);
  } finally {
    if (onExit) child.off('exit', onExit);
    if (onError) child.off('error', onError);
  }
}

/** The last lines `path` gained since it was `offset` bytes long, joined into one line. */
export function logTail(path: string, offset: number, lines = 3): string {
  try {
    const text = readFileSync(path).subarray(offset).toString('utf8');
    return text.trim().split('\n').filter(Boolean).slice(-lines).join(' | ');
  } catch {
    return '';
  }
}

export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
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

/** Whether two paths name the same folder (symlinks resolved where they exist). */
export function samePath(a: string, b: string): boolean {
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };
  return real(a) === real(b);
}
