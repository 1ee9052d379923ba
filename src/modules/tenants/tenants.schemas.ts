import { Type, type Static } from '@sinclair/typebox';
import { Page, PageQueryFields, Name, Timestamp, Uuid } from '../../http/api-schemas.js';

export const SLUG_PATTERN = '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$';
const Country = Type.String({
  pattern: '^[A-Z]{2}$',
  description: 'ISO 3166 alpha-2, used to parse numbers without a country code.',
});
export const MAX_PHONE_ALLOW_CIDRS = 100;
const PhoneAllowCidrs = Type.Union(
  [Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: MAX_PHONE_ALLOW_CIDRS }), Type.Null()],
  {
    description:
      'Networks (CIDR, or a single address) phones of this tenant may fetch their files from; null or empty allows any source. Requests from elsewhere get the same answer as an unknown device.',
  },
);

export const TenantView = Type.Object({
  id: Uuid,
  slug: Type.String(),
  name: Type.String(),
  maxAccounts: Type.Integer(),
  accountCount: Type.Integer(),
  defaultCountry: Type.Union([Type.String(), Type.Null()]),
  defaultProfileId: Type.Union([Uuid, Type.Null()]),
  phoneAllowCidrs: Type.Union([Type.Array(Type.String()), Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type TenantViewType = Static<typeof TenantView>;

export const TenantList = Page(TenantView);

export const CreateTenantBody = Type.Object(
  {
    slug: Type.String({ pattern: SLUG_PATTERN, description: 'Lowercase token used in URLs.' }),
    name: Name(200),
    maxAccounts: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    defaultCountry: Type.Optional(Type.Union([Country, Type.Null()])),
    phoneAllowCidrs: Type.Optional(PhoneAllowCidrs),
  },
  {
    additionalProperties: false,
    examples: [{ slug: 'acme', name: 'Acme Corp', maxAccounts: 500, defaultCountry: 'US' }],
  },
);
export type CreateTenantInput = Static<typeof CreateTenantBody>;

export const UpdateTenantBody = Type.Object(
  {
    name: Type.Optional(Name(200)),
    maxAccounts: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Platform token only.' })),
    defaultCountry: Type.Optional(Type.Union([Country, Type.Null()])),
    defaultProfileId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    phoneAllowCidrs: Type.Optional(PhoneAllowCidrs),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateTenantInput = Static<typeof UpdateTenantBody>;

export const TenantListQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 200 })), ...PageQueryFields },
  { additionalProperties: false },
);

export const TenantImpact = Type.Object({
  groups: Type.Integer(),
  accounts: Type.Integer(),
  numbers: Type.Integer(),
  devices: Type.Integer(),
});
export type TenantImpactType = Static<typeof TenantImpact>;

export const TenantReadinessView = Type.Object(
  {
    ready: Type.Boolean({
      description: 'True when a device that falls back to the tenant default profile can be rendered.',
    }),
    defaultProfileId: Type.Union([Uuid, Type.Null()]),
    missing: Type.Array(Type.String(), {
      description:
        'Required settings the default profile does not set (e.g. sipServer), or defaultProfile when the tenant has none.',
    }),
  },
  {
    additionalProperties: false,
    examples: [{ ready: false, defaultProfileId: '3f1c2a7e-8a1b-4c2d-9e3f-0a1b2c3d4e5f', missing: ['sipServer'] }],
  },
);
export type TenantReadinessViewType = Static<typeof TenantReadinessView>;
