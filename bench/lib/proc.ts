import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/** Fields of /proc/<pid>/status in kB: VmHWM is the peak resident set since the process started. */
export function procStatusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function peakRssMB(pid: number): number | undefined {
  const kb = procStatusKb(pid, 'VmHWM');
  return kb === undefined ? undefined : Math.round(kb / 1024);
}

/** Resets the peak RSS counter (Linux ≥ 4.0: writing 5 to clear_refs), so a phase can be measured alone. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * Samples VmHWM every `everyMs` while a phase runs; the last sample is the phase's peak (VmHWM
 * never falls), the samples also survive a process that exits before the phase ends.
 */
export class PeakRssSampler {
  private timer?: NodeJS.Timeout;
  peakKb = 0;

  constructor(
    private readonly pid: number,
    private readonly everyMs = 200,
  ) {}

  start(): this {
    const sample = () => {
      const kb = procStatusKb(this.pid, 'VmHWM');
      if (kb !== undefined && kb > this.peakKb) this.peakKb = kb;
    };
    sample();
    this.timer = setInterval(sample, this.everyMs);
    return this;
  }

  stop(): number {
    clearInterval(this.timer);
    const kb = procStatusKb(this.pid, 'VmHWM');
    if (kb !== undefined && kb > this.peakKb) this.peakKb = kb;
    return Math.round(this.peakKb / 1024);
  }
}

/** User + system CPU seconds used so far by the given processes (/proc/<pid>/stat, clock ticks at 100 Hz). */
export function cpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone: counts nothing
    }
  }
  return ticks / 100;
}

/** A process and its direct children (nginx master + workers). */
export function withChildren(pid: number): number[] {
  const pids = [pid];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) pids.push(Number(entry));
    } catch {
      // exited while listing
    }
  }
  return pids;
}
