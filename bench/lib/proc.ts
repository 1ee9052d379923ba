import { readFileSync, writeFileSync } from 'node:fs';

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

  constructor(private readonly pid: number, private readonly everyMs = 200) {}

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
