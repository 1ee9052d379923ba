/**
 * The contract between the notify job (which knows devices and tenants) and the drivers (which
 * know wire protocols). It imports only the vendor family type, so every driver can depend on it without cycles.
 */
import type { VendorFamily } from '../../model/directory/vendor-family.js';

/** A vendor family that has a resync event (every family does). */
export type ResyncVendor = VendorFamily;

/** What a phone is asked to do: the SIP `Event` header value and an optional body. */
export interface ResyncEvent {
  event: string;
  contentType?: string;
  body?: string;
}

/** Everything the daemon may know about where a phone is; each driver uses what it needs. */
export interface NotifyTarget {
  vendor: ResyncVendor;
  /** Canonical MAC (12 lowercase hex digits); used in log lines, never on the wire. */
  mac: string;
  /** The registered contact URI as the registrar saw it, e.g. `sip:100@10.0.0.5:5062;transport=tcp`. */
  contactUri?: string;
  /** Address the phone last fetched from; the `sip` driver falls back to `sip:<user>@<ip>`. */
  lastSeenIp?: string;
  sipUser?: string;
  domain?: string;
  /** PBX endpoint name (Asterisk PJSIP endpoint); defaults to `sipUser` where a driver needs one. */
  endpoint?: string;
}

/**
 * `retryable` says whether trying again later can plausibly succeed (timeouts, transport errors,
 * 408/480/486/5xx); a phone that answers 481/404/489 will answer the same way next time.
 */
export interface NotifyOutcome {
  ok: boolean;
  status?: number;
  reason: string;
  retryable: boolean;
}

export interface Notifier {
  notify(target: NotifyTarget, event: ResyncEvent): Promise<NotifyOutcome>;
  close(): Promise<void>;
}
