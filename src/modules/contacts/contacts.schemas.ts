import { Type, type Static } from '@sinclair/typebox';
import { Page, PageQueryFields, Timestamp, Uuid } from '../../http/api-schemas.js';
import { NUMBER_TYPES } from '../../model/contacts/contact-number.entity.js';
import { CONTACT_PERMISSIONS } from '../../model/contacts/contact-permission.entity.js';

// Lengths here only bound the request; validateDraft applies the real limits with field errors.
const FreeText = Type.Union([Type.String({ maxLength: 1000 }), Type.Null()]);
const NumberTypeSchema = Type.Union(NUMBER_TYPES.map((type) => Type.Literal(type)));

export const ContactNumberSchema = Type.Object(
  {
    type: NumberTypeSchema,
    number: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'E.164, a national number (tenant country) or an internal extension.',
    }),
  },
  { additionalProperties: false },
);

export const ContactView = Type.Object({
  id: Uuid,
  firstName: Type.Union([Type.String(), Type.Null()]),
  lastName: Type.Union([Type.String(), Type.Null()]),
  company: Type.Union([Type.String(), Type.Null()]),
  title: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  numbers: Type.Array(Type.Object({ type: NumberTypeSchema, number: Type.String() })),
  phonebookIds: Type.Array(Uuid),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type ContactViewType = Static<typeof ContactView>;

export const ContactList = Page(ContactView);

export const CreateContactBody = Type.Object(
  {
    firstName: Type.Optional(FreeText),
    lastName: Type.Optional(FreeText),
    company: Type.Optional(FreeText),
    title: Type.Optional(FreeText),
    email: Type.Optional(FreeText),
    numbers: Type.Array(ContactNumberSchema, { maxItems: 50 }),
    phonebookIds: Type.Optional(
      Type.Array(Uuid, {
        maxItems: 100,
        uniqueItems: true,
        description: 'Phonebooks to join besides the default one.',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      { firstName: 'Bob', lastName: 'Jones', company: 'Globex', numbers: [{ type: 'work', number: '+12025550123' }] },
    ],
  },
);
export type CreateContactInput = Static<typeof CreateContactBody>;

export const UpdateContactBody = Type.Object(
  {
    firstName: Type.Optional(FreeText),
    lastName: Type.Optional(FreeText),
    company: Type.Optional(FreeText),
    title: Type.Optional(FreeText),
    email: Type.Optional(FreeText),
    numbers: Type.Optional(Type.Array(ContactNumberSchema, { maxItems: 50, description: 'Replaces every number.' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateContactInput = Static<typeof UpdateContactBody>;

export const ContactListQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({ maxLength: 200, description: 'Words of the name, company, title or email, or a phone number.' }),
    ),
    phonebook: Type.Optional(Uuid),
    ...PageQueryFields,
  },
  { additionalProperties: false },
);
export type ContactListQueryType = Static<typeof ContactListQuery>;

export const BulkDeleteBody = Type.Object(
  { ids: Type.Array(Uuid, { minItems: 1, maxItems: 1000, uniqueItems: true }) },
  { additionalProperties: false },
);

export const BulkDeleteResult = Type.Object({
  deleted: Type.Integer(),
  notFound: Type.Array(Uuid, { description: 'Ids that are not contacts of this tenant; nothing happened to them.' }),
});

const PermissionList = Type.Array(Type.Union(CONTACT_PERMISSIONS.map((p) => Type.Literal(p))), { uniqueItems: true });

export const ContactPermissionsView = Type.Object({
  owner: PermissionList,
  admin: PermissionList,
  viewer: PermissionList,
});
export type ContactPermissionsViewType = Static<typeof ContactPermissionsView>;

export const ContactPermissionsBody = Type.Object(
  { admin: PermissionList, viewer: PermissionList },
  { additionalProperties: false, description: 'The owner always holds every permission.' },
);
export type ContactPermissionsInput = Static<typeof ContactPermissionsBody>;
