import { VENDOR_FAMILIES } from '../../model/directory/vendor-family.js';
import { BadRequestError } from '../../errors/errors.js';
import type { ResyncEvent, ResyncVendor } from './notify.types.js';
import { VENDOR_REGISTRY } from '../vendors/registry.js';

export type { ResyncVendor };

/**
 * Every family has a resync event: the SIP NOTIFY it understands as "fetch your configuration now"
 * and the variant that also reboots live in the family's definition (`resync` in
 * src/modules/vendors/<family>/<family>.family.ts, with the sources next to the values).
 */
export const RESYNC_VENDORS = VENDOR_FAMILIES;

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
  const entry = VENDOR_REGISTRY[vendor].resync;
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
