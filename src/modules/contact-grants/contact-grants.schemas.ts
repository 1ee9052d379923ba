import { Type, type Static } from '@sinclair/typebox';
import { CONTACT_PERMISSIONS } from '../../model/contacts/contact-permission.entity.js';

const Permission = Type.Union(
  CONTACT_PERMISSIONS.map((name) => Type.Literal(name)),
  { description: 'A company-contacts permission.' },
);
const PermissionList = Type.Array(Permission, { maxItems: CONTACT_PERMISSIONS.length * 2, uniqueItems: true });

export const GrantBody = Type.Object(
  { permissions: PermissionList },
  { additionalProperties: false, description: 'Replaces the grant; an empty list removes it.' },
);
export type GrantInput = Static<typeof GrantBody>;

const Source = Type.Union([
  Type.Object({ kind: Type.Literal('user') }),
  Type.Object({ kind: Type.Literal('group'), groupId: Type.String(), groupName: Type.String() }),
]);

export const GroupGrantView = Type.Object({ granted: PermissionList });

export const UserGrantView = Type.Object({
  granted: Type.Array(Permission, { description: "The user's own grant." }),
  effective: Type.Object({
    permissions: Type.Array(Permission, { description: 'The union of the own grant and the groups\u2019 grants.' }),
    sources: Type.Record(Type.String(), Type.Array(Source), {
      description: 'For each effective permission, the grants that give it.',
    }),
  }),
});
export type UserGrantViewType = Static<typeof UserGrantView>;
