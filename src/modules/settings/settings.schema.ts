import { Type, type Static, type TOptional, type TSchema } from '@sinclair/typebox';
import { DEVICE_VENDORS } from '../../model/directory/device.entity.js';
import { ResyncEventsSchema, SipContactSchema } from '../notify/resync-overrides.schema.js';

/**
 * The vendor-neutral provisioning settings a profile (and, for the scalar ones, a device) may set.
 * Every renderer maps these to its own keys; the patterns keep values free of characters that
 * could break out of a vendor file format (quotes, line breaks, angle brackets).
 */

const HOST =
  '^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*\\.?|\\[[0-9A-Fa-f:.]{2,45}\\])$';
const HTTP_URL = '^https?://[\\x21-\\x7e]+$';
export const SIP_TRANSPORTS = ['udp', 'tcp', 'tls', 'dns-naptr'] as const;

const Host = (description: string) => Type.String({ minLength: 1, maxLength: 253, pattern: HOST, description });
const HttpUrl = (description: string) => Type.String({ minLength: 8, maxLength: 500, pattern: HTTP_URL, description });

/** Model names as keys of the firmware map (compared loosely, see docs/settings.md). */
export const FIRMWARE_MODEL_PATTERN = '^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$';

const scalarFields = {
  timeZone: Type.String({
    minLength: 1,
    maxLength: 64,
    pattern: '^[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+){0,2}$',
    description: 'IANA zone, e.g. Europe/Berlin.',
  }),
  ntpServer: Host('NTP server host name or IP address.'),
  language: Type.String({
    pattern: '^[a-z]{2}(?:-[A-Z]{2})?$',
    description: 'ISO 639-1 code, optionally with region: en, de, fr-CA.',
  }),
  sipServer: Host('Default SIP registrar host name or IP address.'),
  sipPort: Type.Integer({ minimum: 1, maximum: 65535 }),
  sipTransport: Type.Union(SIP_TRANSPORTS.map((transport) => Type.Literal(transport))),
  phonebookRefreshSeconds: Type.Integer({
    minimum: 60,
    maximum: 604800,
    description: 'How often phones re-read remote phonebooks.',
  }),
  adminPassword: Type.String({
    pattern: '^[\\x21-\\x7e]{4,64}$',
    description: 'Phone web-UI admin password. Secret: masked for viewers and in the audit trail.',
  }),
  provisioningUrl: HttpUrl('Base URL phones fetch their files from.'),
};

export const NEUTRAL_SETTING_KEYS = [
  ...(Object.keys(scalarFields) as (keyof typeof scalarFields)[]),
  'firmwareUrl',
  'classOfService',
] as const;

/**
 * Settings a device cannot be rendered without when nothing else sets them: every line needs a
 * SIP server (the renderer fails with sip_server_missing). The provisioning URL has a platform
 * default (PROVD_PUBLIC_PHONE_URL), so it is not here. Tenant readiness reports what the default
 * profile lacks of these.
 */
export const REQUIRED_SETTING_KEYS = ['sipServer'] as const;

/** Setting keys whose values are secrets: masked for viewers, never logged. */
export const SECRET_SETTING_KEYS: ReadonlySet<string> = new Set(['adminPassword']);

const optional = <T extends Record<string, TSchema>>(fields: T) =>
  Object.fromEntries(Object.entries(fields).map(([key, schema]) => [key, Type.Optional(schema)])) as {
    [K in keyof T]: TOptional<T[K]>;
  };

export const ProfileSettingsSchema = Type.Object(
  {
    ...optional(scalarFields),
    firmware: Type.Optional(
      Type.Record(Type.String({ pattern: FIRMWARE_MODEL_PATTERN }), HttpUrl('Firmware image URL for this model.'), {
        additionalProperties: false,
        maxProperties: 200,
        description: 'Firmware image URL per phone model, e.g. { "T46S": "https://…/T46S.rom" }.',
      }),
    ),
    resyncEvents: Type.Optional(ResyncEventsSchema),
  },
  { additionalProperties: false },
);
export type ProfileSettingsValues = Static<typeof ProfileSettingsSchema>;

/** What a device may override: the scalar settings plus the firmware URL for its own model. */
export const DeviceOverridesSchema = Type.Object(
  {
    ...optional(scalarFields),
    firmwareUrl: Type.Optional(HttpUrl('Firmware image URL for this device.')),
    sipContact: Type.Optional(SipContactSchema),
  },
  { additionalProperties: false },
);
export type DeviceOverrideValues = Static<typeof DeviceOverridesSchema>;

/**
 * Raw key names: letters, digits, `_`, `.`, `-` only (covers Yealink `a.b.c`, Grandstream `P123`,
 * Cisco `Dial_Plan_1_`, Snom `name.N`, Fanvil `section.Element`). No `=`, `:`, quotes, `<`,
 * whitespace or line breaks, so a key can never end one entry and start another in any format.
 */
export const RAW_KEY_NAME_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}$';
/** Raw values: any text without control characters (no CR/LF that would start a new entry). */
export const RAW_VALUE_PATTERN = '^[^\\x00-\\x1f\\x7f]*$';

const VendorRawKeys = Type.Record(
  Type.String({ pattern: RAW_KEY_NAME_PATTERN }),
  Type.String({ maxLength: 2000, pattern: RAW_VALUE_PATTERN }),
  {
    additionalProperties: false,
    maxProperties: 500,
  },
);

export const RawKeysSchema = Type.Object(
  Object.fromEntries(DEVICE_VENDORS.map((vendor) => [vendor, Type.Optional(VendorRawKeys)])) as Record<
    (typeof DEVICE_VENDORS)[number],
    TOptional<typeof VendorRawKeys>
  >,
  {
    additionalProperties: false,
    description: 'Per-vendor raw keys written as-is into that vendor\'s files: { "yealink": { "key": "value" } }.',
  },
);
export type RawKeysValues = Static<typeof RawKeysSchema>;
