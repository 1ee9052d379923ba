import { Type, type Static } from '@sinclair/typebox';
import { Extension, Page, PageQueryFields, Name, Timestamp, Uuid } from '../../http/api-schemas.js';

export const HuntGroupView = Type.Object({
  id: Uuid,
  name: Type.String(),
  extension: Type.Union([Type.String(), Type.Null()]),
  members: Type.Array(
    Type.Object({ accountId: Uuid, position: Type.Integer(), extension: Type.String(), displayName: Type.String() }),
  ),
  numbers: Type.Array(Type.Object({ id: Uuid, e164: Type.String() })),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type HuntGroupViewType = Static<typeof HuntGroupView>;
export const HuntGroupList = Page(HuntGroupView);

const MemberIds = Type.Array(Uuid, { maxItems: 100, uniqueItems: true, description: 'Accounts in ring order.' });

export const CreateHuntGroupBody = Type.Object(
  {
    name: Name(200),
    extension: Type.Optional(Type.Union([Extension, Type.Null()])),
    memberAccountIds: Type.Optional(MemberIds),
  },
  { additionalProperties: false },
);
export type CreateHuntGroupInput = Static<typeof CreateHuntGroupBody>;

export const UpdateHuntGroupBody = Type.Object(
  {
    name: Type.Optional(Name(200)),
    extension: Type.Optional(Type.Union([Extension, Type.Null()])),
    memberAccountIds: Type.Optional(MemberIds),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateHuntGroupInput = Static<typeof UpdateHuntGroupBody>;

export const HuntGroupListQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Part of the name or of the extension.' }),
    ),
    ...PageQueryFields,
  },
  { additionalProperties: false },
);

/** What DELETE does, by name: numbers unassigned, auto attendant options that forward to the group removed, members leaving. */
export const HuntGroupImpact = Type.Object({
  numbers: Type.Array(Type.Object({ id: Uuid, e164: Type.String() }), { description: 'Become unassigned.' }),
  autoAttendantOptions: Type.Array(Type.Object({ autoAttendantId: Uuid, name: Type.String(), digit: Type.String() }), {
    description: 'Options forwarding to the hunt group; removed.',
  }),
  members: Type.Integer({ description: 'Accounts that stop ringing for it (the accounts stay).' }),
});
export type HuntGroupImpactType = Static<typeof HuntGroupImpact>;
