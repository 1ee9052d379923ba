import { Type, type Static } from '@sinclair/typebox';
import { Page, PageQueryFields, Name, Timestamp, Uuid } from '../../http/api-schemas.js';

const TenantTokenRole = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('viewer')]);

export const ApiTokenView = Type.Object({
  id: Uuid,
  name: Type.String(),
  role: Type.String(),
  prefix: Type.String({ description: 'First characters of the token, to recognise it.' }),
  createdAt: Timestamp,
  revokedAt: Type.Union([Timestamp, Type.Null()]),
  expiresAt: Type.Union([Timestamp, Type.Null()], {
    description: 'After this the token answers 401 token_expired; null: never.',
  }),
  lastUsedAt: Type.Union([Timestamp, Type.Null()], {
    description: 'Last authenticated use, to the minute (written at most once a minute).',
  }),
});
export type ApiTokenViewType = Static<typeof ApiTokenView>;

export const CreatedApiToken = Type.Composite([
  ApiTokenView,
  Type.Object({
    token: Type.String({ description: 'The bearer token. Shown once, never again: only its hash is stored.' }),
  }),
]);

export const ApiTokenList = Page(ApiTokenView);

export const CreateApiTokenBody = Type.Object(
  {
    name: Name(100),
    role: TenantTokenRole,
    expiresAt: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'When the token stops working (must be in the future); omit for a token that does not expire.',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [{ name: 'provisioning script', role: 'admin', expiresAt: '2027-01-01T00:00:00Z' }],
  },
);

export const ApiTokenListQuery = Type.Object(
  { includeRevoked: Type.Optional(Type.Boolean({ default: false })), ...PageQueryFields },
  { additionalProperties: false },
);

export const WhoAmIView = Type.Object(
  {
    tokenId: Uuid,
    tokenName: Type.String(),
    role: Type.String({ description: 'owner, admin, viewer, or platform.' }),
    tenant: Type.Union([Type.Object({ id: Uuid, slug: Type.String() }, { additionalProperties: false }), Type.Null()], {
      description: "The token's tenant; null for the platform token.",
    }),
  },
  { additionalProperties: false },
);
