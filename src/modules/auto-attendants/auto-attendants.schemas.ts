import { Type, type Static } from '@sinclair/typebox';
import { Extension, Page, PageQueryFields, Name, Timestamp, Uuid } from '../../http/api-schemas.js';

const Digit = Type.String({ pattern: '^[0-9*#]$' });

export const OptionView = Type.Object({
  digit: Type.String(),
  accountId: Type.Union([Uuid, Type.Null()]),
  huntGroupId: Type.Union([Uuid, Type.Null()]),
  externalNumber: Type.Union([Type.String(), Type.Null()]),
});

export const AutoAttendantView = Type.Object({
  id: Uuid,
  name: Type.String(),
  extension: Type.Union([Type.String(), Type.Null()]),
  options: Type.Array(OptionView),
  numbers: Type.Array(Type.Object({ id: Uuid, e164: Type.String() })),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type AutoAttendantViewType = Static<typeof AutoAttendantView>;
export const AutoAttendantList = Page(AutoAttendantView);

const OptionInput = Type.Object(
  {
    digit: Digit,
    accountId: Type.Optional(Uuid),
    huntGroupId: Type.Optional(Uuid),
    externalNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 40, examples: ['+12025550123'] })),
  },
  { additionalProperties: false, description: 'Exactly one of accountId, huntGroupId, externalNumber.' },
);
export type OptionInputType = Static<typeof OptionInput>;
const Options = Type.Array(OptionInput, { maxItems: 12, description: 'Replaces every option.' });

export const CreateAutoAttendantBody = Type.Object(
  { name: Name(200), extension: Type.Optional(Type.Union([Extension, Type.Null()])), options: Type.Optional(Options) },
  { additionalProperties: false },
);
export type CreateAutoAttendantInput = Static<typeof CreateAutoAttendantBody>;

export const UpdateAutoAttendantBody = Type.Object(
  {
    name: Type.Optional(Name(200)),
    extension: Type.Optional(Type.Union([Extension, Type.Null()])),
    options: Type.Optional(Options),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateAutoAttendantInput = Static<typeof UpdateAutoAttendantBody>;

export const AutoAttendantListQuery = Type.Object(
  { q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), ...PageQueryFields },
  { additionalProperties: false },
);
