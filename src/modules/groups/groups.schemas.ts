import { Type, type Static } from '@sinclair/typebox';
import { Page, PageQueryFields, Name, NullableName, Timestamp, Uuid } from '../../http/api-schemas.js';

const Nullable = (maxLength: number) => Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()]));

export const Address = Type.Object(
  { street: Nullable(200), city: Nullable(100), state: Nullable(100), zip: Nullable(20), country: Nullable(100) },
  { additionalProperties: false },
);
export const AdminContact = Type.Object(
  {
    surname: Type.Optional(NullableName(100)),
    name: Type.Optional(NullableName(100)),
    role: Nullable(100),
    phone: Nullable(40),
    mobile: Nullable(40),
    fax: Nullable(40),
    itEmail: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type AddressInput = Static<typeof Address>;
export type AdminContactInput = Static<typeof AdminContact>;

const NullableString = Type.Union([Type.String(), Type.Null()]);

export const GroupView = Type.Object({
  id: Uuid,
  name: Type.String(),
  profileId: Type.Union([Uuid, Type.Null()]),
  classOfServiceId: Type.Union([Uuid, Type.Null()]),
  address: Type.Object({
    street: NullableString,
    city: NullableString,
    state: NullableString,
    zip: NullableString,
    country: NullableString,
  }),
  adminContact: Type.Object({
    surname: NullableString,
    name: NullableString,
    role: NullableString,
    phone: NullableString,
    mobile: NullableString,
    fax: NullableString,
    itEmail: NullableString,
  }),
  accountCount: Type.Integer({ description: 'Accounts whose home is this group.' }),
  extraMemberCount: Type.Integer({ description: 'Accounts of other groups that are also members here.' }),
  accountLimit: Type.Integer({ description: "The tenant's licensed number of accounts." }),
  tenantAccountCount: Type.Integer({ description: 'Accounts in the whole tenant, counted against accountLimit.' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type GroupViewType = Static<typeof GroupView>;
export const GroupList = Page(GroupView);

export const CreateGroupBody = Type.Object(
  {
    name: Name(200),
    profileId: Type.Optional(
      Type.Union([Uuid, Type.Null()], { description: 'Defaults to the tenant default profile.' }),
    ),
    classOfServiceId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    address: Type.Optional(Address),
    adminContact: Type.Optional(AdminContact),
  },
  { additionalProperties: false, examples: [{ name: 'Sales' }] },
);
export type CreateGroupInput = Static<typeof CreateGroupBody>;

export const UpdateGroupBody = Type.Object(
  {
    name: Type.Optional(Name(200)),
    profileId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    classOfServiceId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    address: Type.Optional(Address),
    adminContact: Type.Optional(AdminContact),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateGroupInput = Static<typeof UpdateGroupBody>;

export const GroupListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Part of the group name.' })),
    number: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 40 }), {
        maxItems: 50,
        description:
          'Only groups holding one of these numbers (assigned to a home account, or shared). Repeat the parameter for several.',
      }),
    ),
    ...PageQueryFields,
  },
  { additionalProperties: false },
);
export type GroupListQueryType = Static<typeof GroupListQuery>;

export const GroupImpact = Type.Object({
  accounts: Type.Integer(),
  devices: Type.Integer({ description: 'Devices with a line bound to one of those accounts.' }),
  numbers: Type.Integer({ description: 'Numbers assigned to those accounts; they become unassigned.' }),
  extraMembers: Type.Integer(),
  sharedNumbers: Type.Integer(),
  accountIds: Type.Array(Uuid, { description: 'The accounts that would be deleted (first 100).' }),
});
export type GroupImpactType = Static<typeof GroupImpact>;

export const MemberBody = Type.Object({ accountId: Uuid }, { additionalProperties: false });
export const SharedNumberBody = Type.Object({ numberId: Uuid }, { additionalProperties: false });
export const GroupAccountParams = Type.Object({
  tenant: Type.String({ minLength: 1, maxLength: 64 }),
  id: Uuid,
  accountId: Uuid,
});
export const GroupNumberParams = Type.Object({
  tenant: Type.String({ minLength: 1, maxLength: 64 }),
  id: Uuid,
  numberId: Uuid,
});
export const SharedNumberList = Type.Object({
  items: Type.Array(Type.Object({ id: Uuid, e164: Type.String(), status: Type.String() })),
});
