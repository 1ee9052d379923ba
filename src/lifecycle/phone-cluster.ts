import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { PhoneProcessesStatus } from '../modules/health/health.routes.js';

export interface PhoneClusterOptions {
  processes: number;
  /** Listeners each phone process opens (HTTP, plus HTTPS when configured) before it counts as up. */
  listenersPerProcess: number;
  logger: Logger;
  /** How long `stop()` waits for the processes to finish in-flight requests before killing them. */
  stopTimeoutMs: number;
}

interface Slot {
  index: number;
  worker?: Worker;
  listeners: number;
  /** Times of recent unexpected exits (for the restart backoff). */
  crashes: number[];
  restartTimer?: NodeJS.Timeout;
}

const CRASH_WINDOW_MS = 60_000;
const FIRST_RESTART_MS = 250;
const MAX_RESTART_MS = 10_000;

/** Restart delay after the n-th crash within a minute: 250 ms, doubling, at most 10 s. */
export function restartDelayMs(recentCrashes: number): number {
  return Math.min(MAX_RESTART_MS, FIRST_RESTART_MS * 2 ** Math.max(0, recentCrashes - 1));
}

/**
 * The primary's side of PROVD_PHONE_PROCESSES > 1: forks the phone-only processes (this same
 * entry point, started as cluster workers), counts them as up once all their listeners are open,
 * restarts one that dies unexpectedly (bounded backoff, one log line each), and on `stop()`
 * sends them SIGTERM and waits for them to finish. Connections are handed out by the cluster
 * module (round-robin on Linux); a keep-alive connection stays with the process that accepted it.
 */
export class PhoneCluster implements PhoneProcessesStatus {
  readonly wanted: number;
  private readonly slots: Slot[];
  private stopping = false;

  constructor(private readonly options: PhoneClusterOptions) {
    this.wanted = options.processes;
    this.slots = Array.from({ length: options.processes }, (_, index) => ({ index, listeners: 0, crashes: [] }));
  }

  listening(): number {
    return this.slots.filter((slot) => slot.worker !== undefined && slot.listeners >= this.options.listenersPerProcess)
      .length;
  }

  /** Pids of the live phone processes. */
  pids(): number[] {
    return this.slots.flatMap((slot) => (slot.worker?.process.pid === undefined ? [] : [slot.worker.process.pid]));
  }

  /** Forks every process; resolves once all listen, rejects (after stopping the others) if one exits first. */
  async start(): Promise<void> {
    const started = Promise.all(
      this.slots.map(
        (slot) =>
          new Promise<void>((resolve, reject) => {
            this.fork(slot, { up: resolve, failedToStart: reject });
          }),
      ),
    );
    try {
      await started;
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.options.logger.info({ processes: this.wanted }, 'phone processes listening');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const slot of this.slots) clearTimeout(slot.restartTimer);
    const live = this.slots.flatMap((slot) => (slot.worker && !slot.worker.isDead() ? [slot.worker] : []));
    const exits = live.map(
      (worker) => new Promise<void>((resolve) => (worker.isDead() ? resolve() : worker.once('exit', () => resolve()))),
    );
    for (const worker of live) worker.process.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      Promise.all(exits).then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), this.options.stopTimeoutMs))),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      this.options.logger.error(
        { timeoutMs: this.options.stopTimeoutMs },
        'phone processes did not stop in time; killing them',
      );
      for (const worker of live) if (!worker.isDead()) worker.process.kill('SIGKILL');
      await Promise.all(exits);
    }
  }

  private fork(slot: Slot, startup?: { up: () => void; failedToStart: (error: Error) => void }): void {
    const worker = cluster.fork();
    slot.worker = worker;
    slot.listeners = 0;
    worker.on('listening', () => {
      slot.listeners += 1;
      if (slot.listeners === this.options.listenersPerProcess) startup?.up();
    });
    worker.once('exit', (code, signal) => {
      if (slot.worker === worker) slot.worker = undefined;
      if (this.stopping) return;
      if (startup && slot.listeners < this.options.listenersPerProcess) {
        startup.failedToStart(
          new Error(`phone process ${slot.index + 1} exited during start (code ${code}, signal ${signal ?? 'none'})`),
        );
        return;
      }
      const now = Date.now();
      slot.crashes = [...slot.crashes.filter((at) => now - at < CRASH_WINDOW_MS), now];
      const delayMs = restartDelayMs(slot.crashes.length);
      this.options.logger.error(
        { pid: worker.process.pid, code, signal, process: slot.index + 1, restartInMs: delayMs },
        'phone process exited unexpectedly; restarting it',
      );
      slot.restartTimer = setTimeout(() => {
        if (!this.stopping) this.fork(slot);
      }, delayMs);
    });
  }
}
