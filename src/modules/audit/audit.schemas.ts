import { Type } from '@sinclair/typebox';
import { Page, PageQueryFields, Timestamp, Uuid } from '../../http/api-schemas.js';
import { AUDIT_ACTIONS } from '../../model/audit/audit-entry.entity.js';

const Snapshot = Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
  description: 'Column values (relations as ids); secrets appear as "[masked]". Updates list only the changed columns.',
});

export const AuditEntryView = Type.Object({
  id: Uuid,
  entityType: Type.String(),
  entityId: Type.String(),
  action: Type.Union(AUDIT_ACTIONS.map((action) => Type.Literal(action))),
  actor: Type.Object({ tokenId: Type.Union([Uuid, Type.Null()]), name: Type.String(), role: Type.String() }),
  before: Snapshot,
  after: Snapshot,
  createdAt: Timestamp,
});

export const AuditList = Page(AuditEntryView);

export const AuditQuery = Type.Object(
  {
    entityType: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'Entity class, e.g. Account, PhoneNumber, Group.' }),
    ),
    entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    actor: Type.Optional(Type.String({ format: 'uuid', description: 'Id of the API token that made the change.' })),
    action: Type.Optional(Type.Union(AUDIT_ACTIONS.map((action) => Type.Literal(action)))),
    since: Type.Optional(Timestamp),
    until: Type.Optional(Timestamp),
    ...PageQueryFields,
  },
  { additionalProperties: false },
);
