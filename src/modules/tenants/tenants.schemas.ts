import { Type, type Static } from '@sinclair/typebox';
import { Page, PageQueryFields, Text, Timestamp, Uuid } from '../../app/api-schemas.js';

export const SLUG_PATTERN = '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$';
const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166 alpha-2, used to parse numbers without a country code.' });

export const TenantView = Type.Object({
  id: Uuid,
  slug: Type.String(),
  name: Type.String(),
  maxAccounts: Type.Integer(),
  accountCount: Type.Integer(),
  defaultCountry: Type.Union([Type.String(), Type.Null()]),
  defaultProfileId: Type.Union([Uuid, Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type TenantViewType = Static<typeof TenantView>;

export const TenantList = Page(TenantView);

export const CreateTenantBody = Type.Object(
  {
    slug: Type.String({ pattern: SLUG_PATTERN, description: 'Lowercase token used in URLs.' }),
    name: Text(200, 1),
    maxAccounts: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    defaultCountry: Type.Optional(Type.Union([Country, Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreateTenantInput = Static<typeof CreateTenantBody>;

export const UpdateTenantBody = Type.Object(
  {
    name: Type.Optional(Text(200, 1)),
    maxAccounts: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Platform token only.' })),
    defaultCountry: Type.Optional(Type.Union([Country, Type.Null()])),
    defaultProfileId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateTenantInput = Static<typeof UpdateTenantBody>;

export const TenantListQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 200 })), ...PageQueryFields },
  { additionalProperties: false },
);

export const TenantImpact = Type.Object({ groups: Type.Integer(), accounts: Type.Integer(), numbers: Type.Integer(), devices: Type.Integer() });
export type TenantImpactType = Static<typeof TenantImpact>;
