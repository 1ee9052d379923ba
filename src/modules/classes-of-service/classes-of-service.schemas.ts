import { Type, type Static } from '@sinclair/typebox';
import { NullableText, Page, PageQueryFields, Name, Timestamp, Uuid } from '../../http/api-schemas.js';
import { COS_LEVELS } from '../../model/directory/class-of-service.entity.js';

const Level = Type.Union(
  COS_LEVELS.map((level) => Type.Literal(level)),
  { description: 'Highest destination class the holder may dial.' },
);
const Prefixes = Type.Array(Type.String({ pattern: '^\\+?[0-9*#]{1,16}$' }), { maxItems: 100, uniqueItems: true });

export const ClassOfServiceView = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    level: Level,
    description: Type.Union([Type.String(), Type.Null()]),
    blockedPrefixes: Type.Array(Type.String()),
    allowedPrefixes: Type.Array(Type.String()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type ClassOfServiceViewType = Static<typeof ClassOfServiceView>;

export const ClassOfServiceList = Page(ClassOfServiceView);

export const CreateClassOfServiceBody = Type.Object(
  {
    name: Name(200),
    level: Level,
    description: Type.Optional(NullableText(1000)),
    blockedPrefixes: Type.Optional(Prefixes),
    allowedPrefixes: Type.Optional(Prefixes),
  },
  { additionalProperties: false },
);
export type CreateClassOfServiceInput = Static<typeof CreateClassOfServiceBody>;

export const UpdateClassOfServiceBody = Type.Partial(CreateClassOfServiceBody, {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateClassOfServiceInput = Static<typeof UpdateClassOfServiceBody>;

export const ClassOfServiceListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the name.' })),
    level: Type.Optional(Level),
    ...PageQueryFields,
  },
  { additionalProperties: false },
);
export type ClassOfServiceListQueryType = Static<typeof ClassOfServiceListQuery>;
