import { Type, type Static, type TOptional } from '@sinclair/typebox';
import { RESYNC_VENDORS, type ResyncVendor } from './resync-events.js';

/**
 * A profile's `resyncEvents` setting: per vendor, the NOTIFY to send instead of the built-in
 * table (resync-events.ts), e.g. { "grandstream": { "event": "resync" } }. The patterns are the
 * ones resolveResyncEvent enforces, so a stored override can always be sent: values become SIP and
 * AMI header lines, where a line break would start a header of its own.
 */
const EventValue = Type.String({
  maxLength: 200,
  pattern: '^(?=[^\\r\\n\\x00]*\\S)[^\\r\\n\\x00]{1,200}$',
  description: 'The Event header value, e.g. check-sync;reboot=false.',
});
const ContentType = Type.String({
  maxLength: 200,
  pattern: '^$|^\\s*[\\w!#$&^.+-]+/[\\w!#$&^.+-]+(\\s*;[^\\r\\n\\x00]*)?\\s*$',
});
const Body = Type.String({
  maxLength: 2000,
  pattern: '^[^\\x00]*$',
  description: 'NOTIFY body; "" removes the built-in one.',
});

const EventFields = {
  event: Type.Optional(EventValue),
  contentType: Type.Optional(ContentType),
  body: Type.Optional(Body),
};

export const ResyncEventOverrideSchema = Type.Object(
  {
    ...EventFields,
    rebootEvent: Type.Optional(
      Type.Object(EventFields, {
        additionalProperties: false,
        description: 'Sent instead when an admin asks for a reboot.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ResyncEventsSchema = Type.Object(
  Object.fromEntries(RESYNC_VENDORS.map((vendor) => [vendor, Type.Optional(ResyncEventOverrideSchema)])) as Record<
    ResyncVendor,
    TOptional<typeof ResyncEventOverrideSchema>
  >,
  {
    additionalProperties: false,
    description: 'Per-vendor resync NOTIFY overrides, e.g. { "grandstream": { "event": "resync" } }.',
  },
);
export type ResyncEventsValues = Static<typeof ResyncEventsSchema>;

/** A SIP contact URI for the `sip` notifier, for phones the daemon cannot reach at their last-seen address. */
export const SipContactSchema = Type.String({
  minLength: 5,
  maxLength: 300,
  pattern: '^sips?:[\\x21-\\x7e]+$',
  description: "Where the sip notifier sends this device's NOTIFY, e.g. sip:100@10.0.0.5:5062;transport=tcp.",
});
