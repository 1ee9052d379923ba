import { Type, type Static } from '@sinclair/typebox';
import { Page, PageQueryFields, TenantSlug, Name, Timestamp, Uuid } from '../../http/api-schemas.js';
import { PHONEMAP_TOKEN_PATTERN } from '../../model/directory/phonemap-group.entity.js';

export const PhoneMapToken = Type.String({
  pattern: PHONEMAP_TOKEN_PATTERN,
  description: 'User-chosen id: 1 to 64 of A-Z a-z 0-9 _ -, unique in the tenant.',
});

export const PhoneMapParams = Type.Object({ tenant: TenantSlug, id: PhoneMapToken });
export const PhoneMapMemberParams = Type.Object({ tenant: TenantSlug, id: PhoneMapToken, memberId: Uuid });

const MemberView = Type.Object(
  {
    accountId: Type.String({
      format: 'uuid',
      description: 'The member is an account; its id is the member id in URLs.',
    }),
    extension: Type.String(),
    displayName: Type.String(),
    active: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const PhoneMapGroupView = Type.Object(
  {
    id: PhoneMapToken,
    uuid: Type.String({ format: 'uuid', description: 'Internal row id, as the audit trail names it.' }),
    name: Type.String(),
    classOfServiceId: Uuid,
    activeAccountId: Type.Union([Uuid, Type.Null()]),
    members: Type.Array(MemberView),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type PhoneMapGroupViewType = Static<typeof PhoneMapGroupView>;

export const PhoneMapGroupList = Page(PhoneMapGroupView);

export const CreatePhoneMapGroupBody = Type.Object(
  { id: PhoneMapToken, name: Name(200), classOfServiceId: Uuid },
  { additionalProperties: false },
);
export type CreatePhoneMapGroupInput = Static<typeof CreatePhoneMapGroupBody>;

export const UpdatePhoneMapGroupBody = Type.Object(
  { name: Type.Optional(Name(200)), classOfServiceId: Type.Optional(Uuid) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdatePhoneMapGroupInput = Static<typeof UpdatePhoneMapGroupBody>;

export const AddMemberBody = Type.Object({ accountId: Uuid }, { additionalProperties: false });

export const PhoneMapGroupListQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the id or name.' })), ...PageQueryFields },
  { additionalProperties: false },
);
export type PhoneMapGroupListQueryType = Static<typeof PhoneMapGroupListQuery>;

/** What deleting a PhoneMap group would unbind; the 409 details when not confirmed. */
export const PhoneMapImpact = Type.Object({
  members: Type.Integer(),
  deviceLines: Type.Integer(),
  devices: Type.Array(Type.Object({ id: Uuid, mac: Type.String(), lines: Type.Array(Type.Integer()) }), {
    description: 'At most 200 listed.',
  }),
});
export type PhoneMapImpactType = Static<typeof PhoneMapImpact>;
