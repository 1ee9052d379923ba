import { Type, type Static } from '@sinclair/typebox';
import { Timestamp, Uuid } from '../../http/api-schemas.js';
import { DUPLICATE_MODES, IMPORT_FORMATS, IMPORT_STATUSES } from '../../model/contacts/contact-import.entity.js';

const Format = Type.Union(IMPORT_FORMATS.map((f) => Type.Literal(f)));

export const ImportQuery = Type.Object(
  {
    format: Format,
    dryRun: Type.Optional(
      Type.Boolean({ default: false, description: 'Report what would happen; write no contacts.' }),
    ),
    duplicates: Type.Optional(
      Type.Union(
        DUPLICATE_MODES.map((m) => Type.Literal(m)),
        {
          default: 'merge',
          description:
            'Same normalised name and numbers as an earlier row or an existing contact: merge into it, or report the row.',
        },
      ),
    ),
    phonebook: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type ImportQueryType = Static<typeof ImportQuery>;

const RowError = Type.Object({
  line: Type.Integer(),
  field: Type.String(),
  code: Type.String(),
  message: Type.String(),
});

const Sample = Type.Object({
  line: Type.Integer(),
  name: Type.String(),
  company: Type.Union([Type.String(), Type.Null()]),
  numbers: Type.Array(Type.String()),
});

export const ImportView = Type.Object({
  id: Type.Union([Uuid, Type.Null()], {
    description: 'Null for a dry run answered within the request (nothing was stored).',
  }),
  status: Type.Union(IMPORT_STATUSES.map((s) => Type.Literal(s))),
  format: Format,
  dryRun: Type.Boolean(),
  duplicates: Type.Union(DUPLICATE_MODES.map((m) => Type.Literal(m))),
  phonebookId: Type.Union([Uuid, Type.Null()]),
  totalBytes: Type.Integer(),
  bytesRead: Type.Integer(),
  rowsRead: Type.Integer(),
  created: Type.Integer(),
  merged: Type.Integer(),
  duplicatesFound: Type.Integer(),
  failed: Type.Integer(),
  errorCount: Type.Integer(),
  errors: Type.Array(RowError, { description: 'The first 1000 row errors, by line.' }),
  samples: Type.Optional(
    Type.Object(
      { created: Type.Array(Sample), updated: Type.Array(Sample), skipped: Type.Array(Sample) },
      {
        description:
          'Dry runs only: the first 10 rows that would be created, merged into a stored contact that changes (updated), and that change nothing (skipped), by line.',
      },
    ),
  ),
  failure: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  finishedAt: Type.Union([Timestamp, Type.Null()]),
});
export type ImportViewType = Static<typeof ImportView>;

export const ImportParams = Type.Object({ tenant: Type.String({ minLength: 1, maxLength: 64 }), id: Uuid });

export const ExportQuery = Type.Object(
  { format: Format, phonebook: Type.Optional(Uuid) },
  { additionalProperties: false },
);
