import { Type, type Static } from '@sinclair/typebox';
import { Page, PageQueryFields, Timestamp, Uuid } from '../../http/api-schemas.js';

const NullableUuid = Type.Union([Uuid, Type.Null()]);

export const NumberView = Type.Object({
  id: Uuid,
  e164: Type.String(),
  status: Type.Union([Type.Literal('unassigned'), Type.Literal('assigned')]),
  accountId: NullableUuid,
  accountRole: Type.Union([Type.Literal('primary'), Type.Literal('additional'), Type.Null()]),
  huntGroupId: NullableUuid,
  autoAttendantId: NullableUuid,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type NumberViewType = Static<typeof NumberView>;

export const NumberList = Page(NumberView);
export const NumberItems = Type.Object({ items: Type.Array(NumberView) });

const RawNumber = Type.String({
  minLength: 1,
  maxLength: 40,
  description: 'Any common notation; normalised to E.164 with the tenant default country.',
  examples: ['+12025550123'],
});

export const AddNumbersBody = Type.Object(
  {
    numbers: Type.Array(RawNumber, { minItems: 1, maxItems: 500 }),
    overrideQuarantine: Type.Optional(Type.Boolean({ description: 'Re-add numbers that were deleted (quarantined).' })),
  },
  { additionalProperties: false },
);

export const NumberListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('unassigned'), Type.Literal('assigned')])),
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 20, pattern: '^[0-9+]+$', description: 'Digits the number contains.' }),
    ),
    accountId: Type.Optional(Uuid),
    ...PageQueryFields,
  },
  { additionalProperties: false },
);
export type NumberListQueryType = Static<typeof NumberListQuery>;

export const BulkDeleteBody = Type.Object(
  { ids: Type.Array(Uuid, { minItems: 1, maxItems: 500, uniqueItems: true }) },
  { additionalProperties: false },
);
export const NumberImpact = Type.Object({
  numbers: Type.Integer({ description: 'Numbers in use: assigned or shared with a group.' }),
  assigned: Type.Integer(),
  groupShares: Type.Integer({ description: 'Sharings with groups that would end.' }),
  items: Type.Array(
    Type.Object({
      id: Uuid,
      e164: Type.String(),
      accountId: Type.Union([Uuid, Type.Null()]),
      accountRole: Type.Union([Type.Literal('primary'), Type.Literal('additional'), Type.Null()]),
      huntGroupId: Type.Union([Uuid, Type.Null()]),
      autoAttendantId: Type.Union([Uuid, Type.Null()]),
      groupIds: Type.Array(Uuid),
    }),
    { description: 'The numbers in use (first 100).' },
  ),
});
export type NumberImpactType = Static<typeof NumberImpact>;
export const BulkDeleteResult = Type.Object({ deleted: Type.Integer() });

export const AssignBody = Type.Object(
  {
    accountId: Type.Optional(Uuid),
    role: Type.Optional(
      Type.Union([Type.Literal('primary'), Type.Literal('additional')], {
        description: 'With accountId; default additional.',
      }),
    ),
    huntGroupId: Type.Optional(Uuid),
    autoAttendantId: Type.Optional(Uuid),
  },
  { additionalProperties: false, description: 'Exactly one of accountId, huntGroupId, autoAttendantId.' },
);
export type AssignInput = Static<typeof AssignBody>;

export const SwapPrimaryBody = Type.Object({ numberId: Uuid }, { additionalProperties: false });
export const SwapPrimaryResult = Type.Object({
  primary: NumberView,
  previousPrimary: Type.Union([NumberView, Type.Null()]),
});
