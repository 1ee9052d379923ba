import { Type, type Static } from '@sinclair/typebox';
import { Extension, Page, PageQueryFields, Name, Timestamp, Uuid } from '../../http/api-schemas.js';
import { SIP_PASSWORD_PATTERN } from './sip-password.js';

const NumberRef = Type.Object({ id: Uuid, e164: Type.String() });
const SipUsername = Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' });
const SipPassword = Type.String({
  pattern: SIP_PASSWORD_PATTERN,
  description: 'Printable ASCII, 12 to 128 characters. Omit to have a strong one generated.',
});
const Email = Type.String({ format: 'email', maxLength: 254 });
const CallerId = Type.String({
  minLength: 1,
  maxLength: 40,
  description: 'Presented number; normalised to E.164.',
  examples: ['+12025550123'],
});

/** What lists and reads show. Never the SIP password. */
export const AccountView = Type.Object({
  id: Uuid,
  groupId: Uuid,
  extension: Type.String(),
  sipUsername: Type.String(),
  displayName: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  callerId: Type.Union([Type.String(), Type.Null()]),
  enabled: Type.Boolean(),
  primaryNumber: Type.Union([NumberRef, Type.Null()]),
  additionalNumbers: Type.Array(NumberRef),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type AccountViewType = Static<typeof AccountView>;

/** The create answer: the one time the (possibly generated) password is shown unasked. */
export const CreatedAccount = Type.Composite([AccountView, Type.Object({ sipPassword: Type.String() })]);

export const AccountList = Page(AccountView);

export const SipCredentials = Type.Object({ sipUsername: Type.String(), sipPassword: Type.String() });

export const CreateAccountBody = Type.Object(
  {
    groupId: Uuid,
    extension: Extension,
    displayName: Name(200),
    sipUsername: Type.Optional(SipUsername),
    sipPassword: Type.Optional(SipPassword),
    email: Type.Optional(Type.Union([Email, Type.Null()])),
    callerId: Type.Optional(Type.Union([CallerId, Type.Null()])),
    enabled: Type.Optional(Type.Boolean()),
  },
  {
    additionalProperties: false,
    examples: [
      {
        groupId: '3f1c2a7e-8a1b-4c2d-9e3f-0a1b2c3d4e5f',
        extension: '1001',
        displayName: 'Alice Smith',
        email: 'alice@example.com',
      },
    ],
  },
);
export type CreateAccountInput = Static<typeof CreateAccountBody>;

export const UpdateAccountBody = Type.Object(
  {
    groupId: Type.Optional(Uuid),
    extension: Type.Optional(Extension),
    displayName: Type.Optional(Name(200)),
    sipUsername: Type.Optional(SipUsername),
    sipPassword: Type.Optional(SipPassword),
    email: Type.Optional(Type.Union([Email, Type.Null()])),
    callerId: Type.Optional(Type.Union([CallerId, Type.Null()])),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateAccountInput = Static<typeof UpdateAccountBody>;

export const AccountListQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Part of display name, extension, SIP username, email, or digits of one of its numbers.',
      }),
    ),
    groupId: Type.Optional(Uuid),
    enabled: Type.Optional(Type.Boolean()),
    ...PageQueryFields,
  },
  { additionalProperties: false },
);
export type AccountListQueryType = Static<typeof AccountListQuery>;

export const CleanupReport = Type.Object({
  numbersUnassigned: Type.Integer(),
  deviceLinesUnassigned: Type.Integer(),
  huntGroupMembershipsRemoved: Type.Integer(),
  autoAttendantOptionsRemoved: Type.Integer(),
});

/** What deleting or disabling the account would do, by name (GET accounts/{id}/impact). */
export const AccountImpact = Type.Object({
  numbers: Type.Array(
    Type.Object({
      id: Uuid,
      e164: Type.String(),
      role: Type.Union([Type.Literal('primary'), Type.Literal('additional')]),
    }),
    { description: 'Become unassigned.' },
  ),
  devices: Type.Array(Type.Object({ id: Uuid, mac: Type.String(), lines: Type.Array(Type.Integer()) }), {
    description: 'Their lines bound to the account become unassigned.',
  }),
  huntGroups: Type.Array(Type.Object({ id: Uuid, name: Type.String() }), { description: 'The account leaves them.' }),
  autoAttendantOptions: Type.Array(Type.Object({ autoAttendantId: Uuid, name: Type.String(), digit: Type.String() }), {
    description: 'Options forwarding to the account; removed.',
  }),
});
export type AccountImpactType = Static<typeof AccountImpact>;
