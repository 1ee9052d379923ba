import { Type, type Static } from '@sinclair/typebox';
import { Page, PageQueryFields, Name, Timestamp, Uuid } from '../../http/api-schemas.js';
import { PHONEBOOK_VISIBILITIES } from '../../model/phonebooks/phonebook.entity.js';

const Visibility = Type.Union(
  PHONEBOOK_VISIBILITIES.map((v) => Type.Literal(v)),
  {
    description: '`all`: every device of the tenant; `groups`: devices of the listed groups only.',
  },
);
const GroupIds = Type.Array(Uuid, { maxItems: 500, uniqueItems: true });

export const PhonebookView = Type.Object({
  id: Uuid,
  name: Type.String(),
  isDefault: Type.Boolean({ description: 'The tenant\'s "All Company Contacts": every new contact joins it.' }),
  visibility: Visibility,
  groupIds: Type.Array(Uuid),
  token: Type.String({ description: 'Opaque, URL-safe name of the phonebook in phone URLs.' }),
  contactCount: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type PhonebookViewType = Static<typeof PhonebookView>;

export const PhonebookList = Page(PhonebookView);

export const CreatePhonebookBody = Type.Object(
  {
    name: Name(200),
    isDefault: Type.Optional(Type.Boolean({ description: 'Becoming the default adds every existing contact.' })),
    visibility: Type.Optional(Visibility),
    groupIds: Type.Optional(GroupIds),
  },
  { additionalProperties: false },
);
export type CreatePhonebookInput = Static<typeof CreatePhonebookBody>;

export const UpdatePhonebookBody = Type.Object(
  {
    name: Type.Optional(Name(200)),
    isDefault: Type.Optional(Type.Boolean()),
    visibility: Type.Optional(Visibility),
    groupIds: Type.Optional(GroupIds),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdatePhonebookInput = Static<typeof UpdatePhonebookBody>;

export const PhonebookListQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 200 })), ...PageQueryFields },
  { additionalProperties: false },
);

export const MembershipBody = Type.Object(
  { contactIds: Type.Array(Uuid, { minItems: 1, maxItems: 1000, uniqueItems: true }) },
  { additionalProperties: false },
);

export const MembershipResult = Type.Object({
  changed: Type.Integer({ description: 'Memberships added or removed.' }),
  contactCount: Type.Integer(),
});

export const PhonebookContactParams = Type.Object({
  tenant: Type.String({ minLength: 1, maxLength: 64 }),
  id: Uuid,
  contactId: Uuid,
});

export const DirectoryEntry = Type.Object({
  kind: Type.Union([Type.Literal('account'), Type.Literal('hunt_group'), Type.Literal('shared_number')]),
  id: Uuid,
  name: Type.String(),
  extension: Type.Union([Type.String(), Type.Null()]),
  number: Type.Union([Type.String(), Type.Null()], {
    description: 'Primary number (accounts), first number (hunt groups), the shared number.',
  }),
  group: Type.Union([Type.String(), Type.Null()], {
    description: 'Home group (accounts) or sharing group (shared numbers).',
  }),
});
export type DirectoryEntryType = Static<typeof DirectoryEntry>;

export const DirectoryList = Page(DirectoryEntry);

export const DirectoryQuery = Type.Object({ ...PageQueryFields }, { additionalProperties: false });
