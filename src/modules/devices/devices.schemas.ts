import { Type, type Static } from '@sinclair/typebox';
import { NullableName, Page, PageQueryFields, Timestamp, Uuid } from '../../http/api-schemas.js';
import { PhoneMapToken } from '../phonemap-groups/phonemap-groups.schemas.js';
import { DeviceOverridesSchema } from '../settings/settings.schema.js';
import { REPORTED_SYNC_STATES } from '../notify/sync/device-sync.entity.js';
import { DEVICE_STATUSES, DEVICE_VENDORS } from '../../model/directory/device.entity.js';

export const LAST_SEEN_FILTERS = ['24h', '7d', 'over-7d', 'never'] as const;

export const MacInput = Type.String({
  minLength: 1,
  maxLength: 32,
  description:
    'Any common form (001565AABBCC, 00:15:65:aa:bb:cc, 0015.65aa.bbcc, …); stored as 12 lowercase hex digits. Invalid, multicast, all-zero and broadcast answer 400 mac_invalid / mac_multicast / mac_zero / mac_broadcast.',
  examples: ['00:15:65:aa:bb:cc'],
});
export const Vendor = Type.Union(DEVICE_VENDORS.map((vendor) => Type.Literal(vendor)));
export const Status = Type.Union(DEVICE_STATUSES.map((status) => Type.Literal(status)));
export const Model = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9 _.+-]{0,63}$',
  description: 'Phone model, e.g. T46S, VVX450, CP-8841.',
});
const LineIndex = Type.Integer({
  minimum: 1,
  maximum: 64,
  description: "1-based line key; at most the model's line count.",
});

export const LineInput = Type.Object(
  {
    index: LineIndex,
    accountId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    phonemapGroupId: Type.Optional(
      Type.Union([PhoneMapToken, Type.Null()], { description: 'PhoneMap group id (its token).' }),
    ),
    label: Type.Optional(NullableName(64)),
  },
  { additionalProperties: false, description: 'Bound to an account, to a PhoneMap group, or (neither) unbound.' },
);
export type LineInputType = Static<typeof LineInput>;
const Lines = Type.Array(LineInput, { maxItems: 64 });

export const LineView = Type.Object(
  {
    index: Type.Integer(),
    accountId: Type.Union([Uuid, Type.Null()]),
    phonemapGroupId: Type.Union([Type.String(), Type.Null()]),
    label: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

const LastSeen = Type.Object(
  {
    seenAt: Timestamp,
    ip: Type.String(),
    userAgent: Type.Union([Type.String(), Type.Null()]),
    file: Type.Union([Type.String(), Type.Null()]),
    servedHash: Type.Union([Type.String(), Type.Null()]),
    firmware: Type.Union([Type.String(), Type.Null()], {
      description: 'Firmware version the User-Agent of the last fetch reported.',
    }),
    model: Type.Union([Type.String(), Type.Null()], {
      description: 'Model the User-Agent of the last fetch reported.',
    }),
  },
  { additionalProperties: false },
);

export const DeviceView = Type.Object(
  {
    id: Uuid,
    mac: Type.String({ description: '12 lowercase hex digits.' }),
    vendor: Vendor,
    model: Type.Union([Type.String(), Type.Null()], {
      description: 'As declared by the admin, else as the phone last reported it.',
    }),
    firmware: Type.Union([Type.String(), Type.Null()], {
      description: 'As reported by the phone in the User-Agent of its last fetch.',
    }),
    status: Status,
    profileId: Type.Union([Uuid, Type.Null()]),
    overrides: DeviceOverridesSchema,
    lines: Type.Array(LineView),
    lastSeen: Type.Union([LastSeen, Type.Null()]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {
    additionalProperties: false,
    description: 'Never carries the provisioning secret; adminPassword reads "[masked]" for viewers.',
  },
);
export type DeviceViewType = Static<typeof DeviceView>;

const SecretField = {
  provisioningSecret: Type.String({ description: 'Shown once, here only. Rotate to get a new one.' }),
};
export const CreatedDeviceView = Type.Composite([DeviceView, Type.Object(SecretField)], {
  additionalProperties: false,
});
export const DeviceSecretView = Type.Object({ id: Uuid, ...SecretField }, { additionalProperties: false });

export const DeviceList = Page(DeviceView);

export const CreateDeviceBody = Type.Object(
  {
    mac: MacInput,
    vendor: Vendor,
    model: Type.Optional(Type.Union([Model, Type.Null()])),
    status: Type.Optional(Status),
    profileId: Type.Optional(
      Type.Union([Uuid, Type.Null()], { description: 'Profile override for this device only.' }),
    ),
    overrides: Type.Optional(DeviceOverridesSchema),
    lines: Type.Optional(Lines),
  },
  {
    additionalProperties: false,
    examples: [
      {
        mac: '00:15:65:aa:bb:cc',
        vendor: 'yealink',
        model: 'T46S',
        lines: [{ index: 1, accountId: '3f1c2a7e-8a1b-4c2d-9e3f-0a1b2c3d4e5f' }],
      },
    ],
  },
);
export type CreateDeviceInput = Static<typeof CreateDeviceBody>;

export const UpdateDeviceBody = Type.Object(
  {
    mac: Type.Optional(MacInput),
    vendor: Type.Optional(Vendor),
    model: Type.Optional(Type.Union([Model, Type.Null()])),
    status: Type.Optional(Status),
    profileId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    overrides: Type.Optional(
      Type.Composite([DeviceOverridesSchema], { additionalProperties: false, description: 'Replaces all overrides.' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateDeviceInput = Static<typeof UpdateDeviceBody>;

export const ReplaceLinesBody = Type.Object({ lines: Lines }, { additionalProperties: false });

export const DeviceListQuery = Type.Object(
  {
    vendor: Type.Optional(Vendor),
    status: Type.Optional(Status),
    group: Type.Optional(
      Type.String({
        format: 'uuid',
        description:
          "Devices with a line bound to an account of this home group (directly or as a PhoneMap group's active member).",
      }),
    ),
    profile: Type.Optional(Type.String({ format: 'uuid', description: 'Devices with this profile override.' })),
    mac: Type.Optional(
      Type.String({ pattern: '^[0-9A-Fa-f:.\\- ]{1,17}$', description: 'Part of the MAC, any separators.' }),
    ),
    model: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'Declared or reported model, exact (case-insensitive).',
      }),
    ),
    firmware: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'Reported firmware version, exact.' }),
    ),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description:
          "Search: part of the MAC (any separators), a line label, the bound user (name, extension, SIP user name, email), one of the user's numbers, or the model (case-insensitive).",
      }),
    ),
    syncState: Type.Optional(
      Type.Union(
        REPORTED_SYNC_STATES.map((state) => Type.Literal(state)),
        { description: 'Sync state as GET /devices/sync reports it.' },
      ),
    ),
    lastSeen: Type.Optional(
      Type.Union(
        LAST_SEEN_FILTERS.map((value) => Type.Literal(value)),
        { description: 'Last fetch: within 24 hours, within 7 days, more than 7 days ago, or never.' },
      ),
    ),
    ...PageQueryFields,
  },
  { additionalProperties: false },
);
export type DeviceListQueryType = Static<typeof DeviceListQuery>;

const SettingEntry = Type.Object(
  {
    value: Type.Unknown(),
    source: Type.Union(
      ['platform', 'tenant', 'profile', 'group', 'phonemap-group', 'device'].map((source) => Type.Literal(source)),
    ),
    sourceId: Type.Union([Type.String(), Type.Null()], {
      description: 'The profile, group, PhoneMap group or device holding the value; null for platform.',
    }),
  },
  { additionalProperties: false },
);

export const DeviceSettingsView = Type.Object(
  {
    deviceId: Uuid,
    profile: Type.Union([
      Type.Object(
        { id: Uuid, via: Type.Union([Type.Literal('device'), Type.Literal('group'), Type.Literal('tenant')]) },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    settings: Type.Record(Type.String(), SettingEntry),
    rawKeys: Type.Record(Type.String(), SettingEntry, { description: "Raw keys for this device's vendor." }),
  },
  {
    additionalProperties: false,
    description: 'Effective settings with the layer that set each value (docs/settings.md).',
  },
);
export type DeviceSettingsViewType = Static<typeof DeviceSettingsView>;
