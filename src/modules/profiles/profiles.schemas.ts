import { Type, type Static } from '@sinclair/typebox';
import { NullableText, Page, PageQueryFields, Name, Timestamp, Uuid } from '../../http/api-schemas.js';
import { ProfileSettingsSchema, RawKeysSchema } from '../settings/settings.schema.js';

export const ProfileView = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    settings: ProfileSettingsSchema,
    rawKeys: RawKeysSchema,
    isDefault: Type.Boolean({ description: 'Whether this is the tenant default profile (tenants.defaultProfileId).' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {
    additionalProperties: false,
    description: 'Secret values (adminPassword, password-like raw keys) read "[masked]" for viewers.',
  },
);
export type ProfileViewType = Static<typeof ProfileView>;

export const ProfileList = Page(ProfileView);

export const CreateProfileBody = Type.Object(
  {
    name: Name(200),
    description: Type.Optional(NullableText(1000)),
    settings: Type.Optional(ProfileSettingsSchema),
    rawKeys: Type.Optional(RawKeysSchema),
  },
  {
    additionalProperties: false,
    examples: [
      {
        name: 'Head office',
        settings: { sipServer: 'pbx.example.com', sipPort: 5060, sipTransport: 'udp', timeZone: 'America/New_York' },
      },
    ],
  },
);
export type CreateProfileInput = Static<typeof CreateProfileBody>;

export const UpdateProfileBody = Type.Object(
  {
    name: Type.Optional(Name(200)),
    description: Type.Optional(NullableText(1000)),
    settings: Type.Optional(
      Type.Composite([ProfileSettingsSchema], {
        additionalProperties: false,
        description: 'Replaces the whole settings object.',
      }),
    ),
    rawKeys: Type.Optional(
      Type.Composite([RawKeysSchema], { additionalProperties: false, description: 'Replaces all raw keys.' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateProfileInput = Static<typeof UpdateProfileBody>;

export const ProfileListQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the name.' })), ...PageQueryFields },
  { additionalProperties: false },
);
export type ProfileListQueryType = Static<typeof ProfileListQuery>;
