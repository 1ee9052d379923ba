import { Type, type Static } from '@sinclair/typebox';

export const DeviceImportQuery = Type.Object(
  {
    dryRun: Type.Optional(Type.Boolean({ default: false, description: 'Check every row, write nothing.' })),
    atomic: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'All rows or none: any row error rejects the whole file (400 import_rejected).',
      }),
    ),
  },
  { additionalProperties: false },
);

export const DeviceImportBody = Type.String({
  maxLength: 5 * 1024 * 1024,
  description:
    'text/csv. Header: mac, vendor, then any of model, profile (name or id), status, lineN_account (extension), lineN_phonemap (PhoneMap group id), lineN_label.',
});

const RowError = Type.Object(
  { code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

export const ImportRowReport = Type.Object(
  {
    line: Type.Integer({ description: 'Line in the file where the row starts (1 = header).' }),
    mac: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union([Type.Literal('valid'), Type.Literal('created'), Type.Literal('error')]),
    deviceId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    provisioningSecret: Type.Optional(Type.String({ description: 'For a created device: shown once, here only.' })),
    errors: Type.Array(RowError),
  },
  { additionalProperties: false },
);
export type ImportRowReportType = Static<typeof ImportRowReport>;

export const DeviceImportReport = Type.Object(
  {
    dryRun: Type.Boolean(),
    atomic: Type.Boolean(),
    total: Type.Integer(),
    valid: Type.Integer(),
    created: Type.Integer(),
    failed: Type.Integer(),
    rows: Type.Array(ImportRowReport),
  },
  { additionalProperties: false },
);
export type DeviceImportReportType = Static<typeof DeviceImportReport>;
