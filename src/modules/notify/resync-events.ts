import { VENDOR_FAMILIES } from '../../model/directory/vendor-family.js';
import { BadRequestError } from '../../errors/errors.js';
import type { ResyncEvent, ResyncVendor } from './notify.types.js';

export type { ResyncVendor };

/**
 * The SIP NOTIFY each vendor family understands as "fetch your configuration now", and the variant
 * that also reboots. Sources: vendor admin guides (Yealink `sip.notify_reboot_enable`, Gigaset
 * "SIP: Check-sync message", Snom), Asterisk's pjsip_notify.conf sample (snom, sipura `resync`,
 * polycom). Cisco enterprise: no Cisco document states it; FreeSWITCH mod_sofia
 * (sofia_reg_send_reboot) sends Cisco phones `service-control` with a text/plain body starting
 * `action=restart`, and Asterisk sip_notify recipes use the same event with `action=reset` to
 * reboot.
 */
export const RESYNC_VENDORS = VENDOR_FAMILIES;

export interface VendorResyncEvents extends ResyncEvent {
  rebootEvent: ResyncEvent;
}

export const RESYNC_EVENTS: Readonly<Record<ResyncVendor, Readonly<VendorResyncEvents>>> = {
  // Yealink reboots on a plain check-sync when sip.notify_reboot_enable = 1 (its default); with 0
  // only `reboot=true` reboots.
  yealink: { event: 'check-sync', rebootEvent: { event: 'check-sync;reboot=true' } },
  // Poly decides itself: voIpProt.SIP.specialEvent.checkSync.alwaysReboot governs the reboot.
  poly: { event: 'check-sync', rebootEvent: { event: 'check-sync;reboot=true' } },
  // Needs Resync_From_SIP = Yes; SPA/MPP firmware also accepts `reboot`.
  'cisco-mpp': { event: 'resync', rebootEvent: { event: 'reboot' } },
  'cisco-enterprise': {
    event: 'service-control',
    contentType: 'text/plain',
    body: 'action=restart',
    rebootEvent: { event: 'service-control', contentType: 'text/plain', body: 'action=reset' },
  },
  // Some Grandstream deployments use `resync`; override per profile where needed.
  grandstream: { event: 'check-sync', rebootEvent: { event: 'check-sync;reboot=true' } },
  snom: { event: 'check-sync;reboot=false', rebootEvent: { event: 'check-sync;reboot=true' } },
  fanvil: { event: 'check-sync', rebootEvent: { event: 'check-sync;reboot=true' } },
  gigaset: { event: 'check-sync;reboot=false', rebootEvent: { event: 'check-sync;reboot=true' } },
};

/** A profile's override of the vendor defaults; top-level fields change the resync, `rebootEvent` the reboot. */
export type ResyncEventOverrides = Partial<ResyncEvent> & { rebootEvent?: Partial<ResyncEvent> };

export function isResyncVendor(value: string): value is ResyncVendor {
  return (RESYNC_VENDORS as readonly string[]).includes(value);
}

/**
 * The event to send for one device. An override may blank a body with '' (e.g. to drop Cisco's
 * body). Values end up as SIP/AMI header lines, so line breaks are refused rather than sent.
 */
export function resolveResyncEvent(
  vendor: ResyncVendor,
  options: { reboot: boolean; overrides?: ResyncEventOverrides },
): ResyncEvent {
  const entry = RESYNC_EVENTS[vendor];
  const { rebootEvent: rebootOverride, ...resyncOverride } = options.overrides ?? {};
  const merged: ResyncEvent = options.reboot
    ? { ...entry.rebootEvent, ...defined(rebootOverride) }
    : { event: entry.event, contentType: entry.contentType, body: entry.body, ...defined(resyncOverride) };

  const event = merged.event?.trim() ?? '';
  if (!HEADER_VALUE.test(event)) throw invalid('event');
  const result: ResyncEvent = { event };
  const contentType = merged.contentType?.trim();
  if (contentType !== undefined && contentType !== '' && !CONTENT_TYPE.test(contentType)) throw invalid('contentType');
  if (merged.body) {
    result.contentType = contentType || 'text/plain';
    result.body = merged.body;
  } else if (contentType) {
    result.contentType = contentType;
  }
  return result;
}

const HEADER_VALUE = /^[^\r\n\0]{1,200}$/;
const CONTENT_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(\s*;[^\r\n\0]*)?$/;

function invalid(field: string): BadRequestError {
  return new BadRequestError('resync_event_invalid', `resync ${field} must be one line of 1..200 characters`);
}

function defined(partial: Partial<ResyncEvent> | undefined): Partial<ResyncEvent> {
  if (!partial) return {};
  return Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<ResyncEvent>;
}
