import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** How a service process ended, and whether the battery asked for it. */
export interface ServiceExit {
  name: string;
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  requested: boolean;
  at: number;
}

/**
 * One of the product's entry points as its own OS process, output captured to a file per start
 * (`<logDir>/<name>.<n>.log`). Started as `node --import tsx <script>`: that is what
 * `node_modules/.bin/tsx` runs, minus its wrapper process, which would otherwise be the one a
 * `kill -9` hits while the real service lives on as an orphan.
 */
export class ServiceProcess {
  child?: ChildProcess;
  starts = 0;
  logPaths: string[] = [];
  private requestedStop = false;
  private exitPromise?: Promise<ServiceExit>;

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: () => Record<string, string>,
    private readonly logDir: string,
    private readonly onExit: (exit: ServiceExit) => void,
  ) {}

  get pid(): number | undefined {
    return this.alive ? this.child?.pid : undefined;
  }

  get alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  get logPath(): string | undefined {
    return this.logPaths[this.logPaths.length - 1];
  }

  start(): void {
    if (this.alive) throw new Error(`${this.name} is already running`);
    this.starts += 1;
    const logPath = join(this.logDir, `${this.name}.${this.starts}.log`);
    this.logPaths.push(logPath);
    const fd = openSync(logPath, 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(this.script)], {
      env: { ...process.env, ...this.env() },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    this.requestedStop = false;
    this.child = child;
    this.exitPromise = new Promise((done) => {
      child.once('exit', (code, signal) => {
        const exit: ServiceExit = {
          name: this.name,
          pid: child.pid ?? -1,
          code,
          signal,
          requested: this.requestedStop,
          at: Date.now(),
        };
        this.onExit(exit);
        done(exit);
      });
    });
  }

  /** Text the current start has logged so far. */
  log(): string {
    const path = this.logPath;
    return path && existsSync(path) ? readFileSync(path, 'utf8') : '';
  }

  /** Waits until the current start has logged `marker` (or exited, which throws). */
  async waitForLog(marker: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.log().includes(marker)) return;
      if (!this.alive) throw new Error(`${this.name} exited before logging "${marker}" (see ${this.logPath})`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.name} did not log "${marker}" within ${timeoutMs} ms (see ${this.logPath})`);
  }

  /** Sends a signal and resolves with the exit (SIGKILL after `timeoutMs`). */
  async signal(signal: NodeJS.Signals, timeoutMs = 60_000): Promise<ServiceExit & { ms: number }> {
    const child = this.child;
    const exited = this.exitPromise;
    if (!child || !exited || !this.alive) throw new Error(`${this.name} is not running`);
    this.requestedStop = true;
    const sent = Date.now();
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const exit = await exited;
    clearTimeout(timer);
    return { ...exit, ms: exit.at - sent };
  }

  async stop(): Promise<void> {
    if (this.alive) await this.signal('SIGTERM');
  }
}
