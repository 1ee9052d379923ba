/**
 * The RFC 3261 §17.1.2 non-INVITE client transaction, minus the transport: it decides when to
 * (re)transmit and when the transaction is over. Over UDP, Timer E retransmits at T1, 2·T1, 4·T1 …
 * capped at T2 (and every T2 once a 1xx arrived); Timer F (64·T1) ends it as a timeout. Over a
 * reliable transport only Timer F runs.
 */
export interface SipTimers {
  t1Ms: number;
  t2Ms: number;
  timerFMs: number;
}

export const RFC3261_TIMERS: SipTimers = { t1Ms: 500, t2Ms: 4000, timerFMs: 32_000 };

/** Timers scaled from T1, keeping the RFC ratios (T2 = 8·T1, F = 64·T1) unless T2 is given. */
export function timersFromT1(t1Ms: number, t2Ms = 8 * t1Ms): SipTimers {
  if (!(t1Ms > 0) || !(t2Ms >= t1Ms)) throw new RangeError('SIP timers need 0 < T1 <= T2');
  return { t1Ms, t2Ms, timerFMs: 64 * t1Ms };
}

export type TransactionResult =
  | { kind: 'final'; status: number; reason: string; transmissions: number }
  | { kind: 'timeout'; transmissions: number }
  | { kind: 'transport-error'; code: string; transmissions: number };

export interface TransactionOptions {
  reliable: boolean;
  timers: SipTimers;
  /** Hands the request to the transport; failures come back through onTransportError. */
  transmit: () => void;
}

export class NonInviteClientTransaction {
  readonly result: Promise<TransactionResult>;
  private resolveResult!: (result: TransactionResult) => void;
  private state: 'idle' | 'trying' | 'proceeding' | 'terminated' = 'idle';
  private transmissions = 0;
  private startedAt = 0;
  private nextRetransmitAt = 0;
  private retransmitInterval = 0;
  private timerE: NodeJS.Timeout | undefined;
  private timerF: NodeJS.Timeout | undefined;

  constructor(private readonly options: TransactionOptions) {
    this.result = new Promise((resolve) => (this.resolveResult = resolve));
  }

  get isTerminated(): boolean {
    return this.state === 'terminated';
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'trying';
    this.startedAt = Date.now();
    this.timerF = setTimeout(
      () => this.finish({ kind: 'timeout', transmissions: this.transmissions }),
      this.options.timers.timerFMs,
    );
    if (!this.options.reliable) {
      this.retransmitInterval = this.options.timers.t1Ms;
      this.nextRetransmitAt = this.startedAt + this.retransmitInterval;
      this.scheduleTimerE();
    }
    this.send();
  }

  onResponse(status: number, reason: string): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return;
    if (status < 200) {
      this.state = 'proceeding';
      return;
    }
    this.finish({ kind: 'final', status, reason, transmissions: this.transmissions });
  }

  onTransportError(code: string): void {
    if (this.state === 'terminated' || this.state === 'idle') return;
    this.finish({ kind: 'transport-error', code, transmissions: this.transmissions });
  }

  /** Ends the transaction without a network outcome (client closing). */
  abort(code = 'aborted'): void {
    this.onTransportError(code);
  }

  private send(): void {
    this.transmissions += 1;
    try {
      this.options.transmit();
    } catch (error) {
      this.onTransportError((error as NodeJS.ErrnoException).code ?? 'send-failed');
    }
  }

  // Deadlines are absolute from the start so timer drift cannot push a retransmission past Timer F.
  private scheduleTimerE(): void {
    this.timerE = setTimeout(() => this.onTimerE(), Math.max(0, this.nextRetransmitAt - Date.now()));
  }

  private onTimerE(): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return;
    if (this.nextRetransmitAt >= this.startedAt + this.options.timers.timerFMs) return;
    this.send();
    if (this.isTerminated) return;
    const { t2Ms } = this.options.timers;
    this.retransmitInterval = this.state === 'proceeding' ? t2Ms : Math.min(2 * this.retransmitInterval, t2Ms);
    this.nextRetransmitAt += this.retransmitInterval;
    this.scheduleTimerE();
  }

  private finish(result: TransactionResult): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    clearTimeout(this.timerE);
    clearTimeout(this.timerF);
    this.resolveResult(result);
  }
}
