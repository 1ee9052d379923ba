import type { Level, Logger } from 'pino';
import type { PhoneMetrics } from '../phone.metrics.js';
import type { RequestedFile } from '../requested-file.js';

export interface FetchLogOptions {
  /** Level of the line written for each successful fetch (200, 304); `silent` writes none. */
  level: Level | 'silent';
  /** Share of successful fetches logged, 0..1: under a boot storm a sample is enough. */
  sample: number;
}

interface Fetcher {
  ip: string | undefined;
  userAgent: string | undefined;
}

/** What the line says about the file: never a phonebook token or a search text. */
function describe(file: RequestedFile, status: number, fetcher: Fetcher): Record<string, unknown> {
  const who = { status, ip: fetcher.ip, userAgent: fetcher.userAgent };
  switch (file.kind) {
    case 'device':
      return { kind: file.kind, mac: file.mac, file: file.name, ...who };
    case 'common':
    case 'firmware':
      return { kind: file.kind, file: file.name, ...who };
    case 'phonebook':
      return { kind: file.kind, format: file.format, ...who };
    default:
      return { kind: file.kind, ...who };
  }
}

/**
 * Every answered phone request is counted (kind × status); a successful one is also logged at
 * the configured level and sample rate, so an operator can watch a phone boot. The level check
 * is done once here, not per request: with the level off the hot path pays one branch.
 */
export class FetchOutcomes {
  private readonly deviceServed: Record<200 | 304, { inc(): void }>;
  private readonly write: ((fields: Record<string, unknown>) => void) | undefined;

  constructor(
    private readonly metrics: PhoneMetrics,
    logger: Logger,
    private readonly options: FetchLogOptions,
    private readonly random: () => number = Math.random,
  ) {
    this.deviceServed = { 200: metrics.fetches.labels('device', '200'), 304: metrics.fetches.labels('device', '304') };
    const level = options.level;
    if (level !== 'silent' && options.sample > 0 && logger.isLevelEnabled(level)) {
      this.write = (fields) => logger[level](fields, 'phone fetch');
    }
  }

  answered(file: RequestedFile, status: number, fetcher: Fetcher): void {
    if (file.kind === 'device' && (status === 200 || status === 304)) this.deviceServed[status].inc();
    else this.metrics.fetches.inc({ kind: file.kind, answer: String(status) });
    if (this.write && status < 400 && this.sampled()) this.write(describe(file, status, fetcher));
  }

  private sampled(): boolean {
    return this.options.sample >= 1 || this.random() < this.options.sample;
  }
}
