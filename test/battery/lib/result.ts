/** One measured number of a scenario. */
export interface Figure {
  label: string;
  value: number | string;
  unit?: string;
}

/** A property that must hold; the reduced battery in `npm test` asserts every one. */
export interface Invariant {
  name: string;
  ok: boolean;
  /** What was measured, e.g. "0 of 2,000". */
  detail: string;
}

export interface ScenarioResult {
  name: string;
  title: string;
  seconds: number;
  figures: Figure[];
  invariants: Invariant[];
  /** Set when the scenario itself stopped on an error (counts as a failed invariant). */
  error?: string;
}

/** Collects a scenario's figures and invariants while it runs. */
export class Recorder {
  readonly figures: Figure[] = [];
  readonly invariants: Invariant[] = [];

  figure(label: string, value: number | string, unit?: string): void {
    this.figures.push({ label, value: typeof value === 'number' ? round(value) : value, ...(unit ? { unit } : {}) });
  }

  /** Records `actual` against the expected value (equality). */
  expect(
    name: string,
    actual: number | string | boolean,
    expected: number | string | boolean,
    detail?: string,
  ): boolean {
    const ok = actual === expected;
    this.invariants.push({ name, ok, detail: detail ?? `${actual}${ok ? '' : ` (expected ${expected})`}` });
    return ok;
  }

  check(name: string, ok: boolean, detail: string): boolean {
    this.invariants.push({ name, ok, detail });
    return ok;
  }
}

function round(value: number): number {
  return Number.isInteger(value) ? value : Math.round(value * 100) / 100;
}

/** Median and max of a list of durations. */
export function spread(values: number[]): { median: number; max: number } {
  if (values.length === 0) return { median: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, max: sorted[sorted.length - 1]! };
}
