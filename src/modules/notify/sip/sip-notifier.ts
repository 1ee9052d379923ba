import { isIP } from 'node:net';
import type { Notifier, NotifyOutcome, NotifyTarget, ResyncEvent } from '../notify.types.js';
import { SipNotifyClient } from './sip-notify-client.js';
import { parseSipUri, type SipUri } from './sip-uri.js';
import { RFC3261_TIMERS, timersFromT1, type TransactionResult } from './sip-transaction.js';

export interface SipDriverConfig {
  driver: 'sip';
  /** Transport when the contact URI names none. */
  transport?: 'udp' | 'tcp';
  bindAddress?: string;
  bindPort?: number;
  advertisedHost?: string;
  fromUser?: string;
  fromDomain?: string;
  userAgent?: string;
  /** RFC 3261 T1 (500 ms); T2 defaults to 8·T1 and Timer F is 64·T1. */
  t1Ms?: number;
  t2Ms?: number;
  /** Send every NOTIFY here instead of to the contact's host (phones that only trust their proxy). */
  outboundProxy?: { host: string; port?: number; transport?: 'udp' | 'tcp' };
}

/** The `sip` driver: the daemon itself sends the NOTIFY to the phone's contact. */
export class SipNotifier implements Notifier {
  private readonly client: SipNotifyClient;

  constructor(private readonly config: SipDriverConfig) {
    const timers = config.t1Ms ? timersFromT1(config.t1Ms, config.t2Ms) : RFC3261_TIMERS;
    this.client = new SipNotifyClient({
      bindAddress: config.bindAddress,
      bindPort: config.bindPort,
      advertisedHost: config.advertisedHost,
      fromUser: config.fromUser,
      fromDomain: config.fromDomain,
      userAgent: config.userAgent,
      timers,
    });
  }

  async notify(target: NotifyTarget, event: ResyncEvent): Promise<NotifyOutcome> {
    const resolved = requestUriFor(target);
    if (!resolved.ok) return { ok: false, reason: resolved.reason, retryable: false };
    const uri = resolved.uri;
    const uriTransport = uri.params.get('transport')?.toLowerCase();
    if (uri.scheme === 'sips' || (uriTransport && uriTransport !== 'udp' && uriTransport !== 'tcp')) {
      return {
        ok: false,
        reason: `unsupported transport ${uri.scheme === 'sips' ? 'sips' : uriTransport}`,
        retryable: false,
      };
    }
    const proxy = this.config.outboundProxy;
    const transport = proxy?.transport ?? (uriTransport as 'udp' | 'tcp' | undefined) ?? this.config.transport ?? 'udp';
    const result = await this.client.send({
      requestUri: uri,
      transport,
      destination: proxy ? { host: proxy.host, port: proxy.port } : undefined,
      event,
    });
    return sipOutcome(result);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

export function requestUriFor(target: NotifyTarget): { ok: true; uri: SipUri } | { ok: false; reason: string } {
  if (target.contactUri) {
    const parsed = parseSipUri(target.contactUri);
    return parsed.ok ? parsed : { ok: false, reason: `invalid contact URI: ${parsed.problem}` };
  }
  if (target.lastSeenIp && isIP(target.lastSeenIp)) {
    const user =
      target.sipUser && /^[A-Za-z0-9\-_.!~*'()&=+$,;?/%]+$/.test(target.sipUser) ? target.sipUser : undefined;
    return { ok: true, uri: { scheme: 'sip', user, host: target.lastSeenIp, params: new Map() } };
  }
  return { ok: false, reason: 'no contact URI or last-seen address' };
}

// A phone that answers 404/481/489 will answer the same next time; these may clear up.
const RETRYABLE_STATUS = new Set([408, 480, 486, 491, 500, 502, 503, 504, 580]);

export function sipOutcome(result: TransactionResult): NotifyOutcome {
  switch (result.kind) {
    case 'final': {
      const reason = `${result.status} ${sanitizeReason(result.reason)}`.trim();
      if (result.status < 300) return { ok: true, status: result.status, reason, retryable: false };
      return { ok: false, status: result.status, reason, retryable: RETRYABLE_STATUS.has(result.status) };
    }
    case 'timeout':
      return { ok: false, reason: 'timeout', retryable: true };
    case 'transport-error':
      return { ok: false, reason: `transport error ${result.code}`, retryable: true };
  }
}

/** Reason phrases come from the phone: printable characters only, bounded. */
export function sanitizeReason(text: string): string {
  return text
    .replace(/[^\x20-\x7e\u00a0-\uffff]/g, '')
    .slice(0, 120)
    .trim();
}
