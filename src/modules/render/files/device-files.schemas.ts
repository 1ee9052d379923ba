import { Type, type Static } from '@sinclair/typebox';
import { TenantSlug, Timestamp, Uuid } from '../../../http/api-schemas.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const Generation = Type.String({
  pattern: '^[0-9]+$',
  description: 'Generation counter (a 64-bit integer, as a string).',
});

export const RenderStateView = Type.Object(
  {
    targetId: Type.String(),
    desiredGen: Generation,
    renderedGen: Generation,
    upToDate: Type.Boolean({ description: 'The rendered generation has caught up with the desired one.' }),
    state: Type.Union([Type.Literal('pending'), Type.Literal('ok'), Type.Literal('failed')]),
    lastError: Nullable(Type.String()),
    warnings: Type.Array(Type.String()),
    renderedHash: Nullable(Type.String({ description: 'Combined SHA-256 of every file of the target.' })),
    renderedAt: Nullable(Timestamp),
  },
  { additionalProperties: false },
);
export type RenderStateViewType = Static<typeof RenderStateView>;

export const ArtifactFileView = Type.Object(
  {
    name: Type.String({ description: 'File name as the phone asks for it.' }),
    servePath: Type.String(),
    contentType: Type.String(),
    sha256: Type.String(),
    size: Type.Integer({ description: 'Bytes.' }),
    generation: Generation,
    carriesSecrets: Type.Boolean(),
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type ArtifactFileViewType = Static<typeof ArtifactFileView>;

export const DeviceFilesView = Type.Object(
  {
    deviceId: Uuid,
    mac: Type.String(),
    vendor: Type.String(),
    status: Type.String({ description: 'Only active devices are served; pending and disabled ones get no files.' }),
    render: Type.Union([RenderStateView, Type.Null()], {
      description: 'The device profile target; null before its first change was relayed.',
    }),
    files: Type.Array(ArtifactFileView),
    phonebooks: Type.Array(
      Type.Object(
        {
          kind: Type.Union([Type.Literal('directory'), Type.Literal('phonebook')]),
          id: Uuid,
          name: Type.String(),
          format: Type.String(),
          url: Type.String({ description: 'The URL in the device file.' }),
          render: Type.Union([RenderStateView, Type.Null()]),
          files: Type.Array(ArtifactFileView),
        },
        { additionalProperties: false },
      ),
      {
        description: 'Phonebooks the device sees, in the order of its phonebook slots, with the variant in its format.',
      },
    ),
  },
  { additionalProperties: false },
);
export type DeviceFilesViewType = Static<typeof DeviceFilesView>;

export const DeviceFileParams = Type.Object({
  tenant: TenantSlug,
  id: Uuid,
  name: Type.String({ pattern: '^[A-Za-z0-9._-]{1,255}$', description: 'A device file name, in any case.' }),
});
