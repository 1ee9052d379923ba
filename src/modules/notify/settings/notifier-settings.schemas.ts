import { Type, type Static } from '@sinclair/typebox';
import { Timestamp } from '../../../http/api-schemas.js';
import { NOTIFIER_DRIVERS } from './notifier-settings.entity.js';

/** Host name, IPv4 or IPv6 address (bracketed or not) of a PBX manager port or a SIP domain. */
const Host = Type.String({
  minLength: 1,
  maxLength: 253,
  pattern:
    '^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*\\.?|\\[?[0-9A-Fa-f:.]{2,45}\\]?)$',
});
const Port = Type.Integer({ minimum: 1, maximum: 65535 });
/** A word usable in a SIP URI user part, an AMI header and an fs_cli argument alike. */
const Word = Type.String({ pattern: '^[A-Za-z0-9_.@+-]{1,128}$' });
/** Credentials travel as one protocol line (AMI `Secret:`, ESL `auth`): no line breaks, no NUL. */
const Credential = Type.String({ minLength: 1, maxLength: 500, pattern: '^[^\\r\\n\\x00]+$' });
const Rate = Type.Integer({ minimum: 1, maximum: 10000 });

const Transport = Type.Union([Type.Literal('udp'), Type.Literal('tcp')]);

export const SipOptions = Type.Object(
  {
    transport: Type.Optional(
      Type.Union([Transport], { description: 'Used when the contact names no transport (default udp).' }),
    ),
    fromDomain: Type.Optional(Host),
    fromUser: Type.Optional(Word),
  },
  { additionalProperties: false },
);

const AmiFields = { host: Host, port: Type.Optional(Port), username: Word };
const FreeswitchFields = {
  host: Host,
  port: Type.Optional(Port),
  profile: Type.Union([Word], { description: 'Sofia profile the phones register to, e.g. internal.' }),
  domain: Type.Optional(
    Type.Union([Host], { description: "SIP domain of the users; default: the device's SIP server setting." }),
  ),
};

export const NotifierSettingsBody = Type.Object(
  {
    driver: Type.Union(NOTIFIER_DRIVERS.map((driver) => Type.Literal(driver))),
    ratePerSecond: Type.Optional(
      Type.Union([Rate, Type.Null()], {
        description: 'NOTIFYs per second for this tenant; null: the platform default.',
      }),
    ),
    sip: Type.Optional(SipOptions),
    ami: Type.Optional(
      Type.Object(
        {
          ...AmiFields,
          secret: Type.Optional(Type.Union([Credential], { description: 'Write-only. Omit to keep the stored one.' })),
        },
        { additionalProperties: false },
      ),
    ),
    freeswitch: Type.Optional(
      Type.Object(
        {
          ...FreeswitchFields,
          password: Type.Optional(
            Type.Union([Credential], { description: 'Write-only. Omit to keep the stored one.' }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  {
    additionalProperties: false,
    description: 'Only the section of the chosen driver may be given (sip, ami or freeswitch).',
  },
);
export type NotifierSettingsInput = Static<typeof NotifierSettingsBody>;

export const NotifierSettingsView = Type.Object(
  {
    driver: Type.Union(NOTIFIER_DRIVERS.map((driver) => Type.Literal(driver))),
    ratePerSecond: Type.Union([Type.Integer(), Type.Null()]),
    effectiveRatePerSecond: Type.Integer({
      description: 'What the rate limiter applies: ratePerSecond or the platform default.',
    }),
    sip: Type.Optional(SipOptions),
    ami: Type.Optional(Type.Object({ ...AmiFields, secretSet: Type.Boolean() }, { additionalProperties: false })),
    freeswitch: Type.Optional(
      Type.Object({ ...FreeswitchFields, passwordSet: Type.Boolean() }, { additionalProperties: false }),
    ),
    updatedAt: Type.Union([Timestamp, Type.Null()]),
  },
  {
    additionalProperties: false,
    description: 'The AMI secret and ESL password are never shown, only whether one is stored.',
  },
);
export type NotifierSettingsViewType = Static<typeof NotifierSettingsView>;
