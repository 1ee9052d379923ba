import { Type, type Static } from '@sinclair/typebox';
import { Page, PageQueryFields, Timestamp, Uuid } from '../../../http/api-schemas.js';
import { REPORTED_SYNC_STATES } from './device-sync.entity.js';

const State = Type.Union(REPORTED_SYNC_STATES.map((state) => Type.Literal(state)));
const Notifier = Type.String({
  description: "The tenant's notifier driver; 'none' means no phone is ever told to fetch (resyncs re-render only).",
});
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

const RenderErrorView = Type.Object(
  {
    code: Type.String({
      description:
        'Stable reason: sip_server_missing, provisioning_url_missing, render_error (other render rules), internal.',
    }),
    message: Type.String({ description: 'Names the offending field or line; never a secret value.' }),
    at: Timestamp,
    generation: Type.String({ description: 'The desired generation the failed render tried.' }),
  },
  { additionalProperties: false },
);

export const DeviceSyncView = Type.Object(
  {
    deviceId: Uuid,
    mac: Type.String(),
    vendor: Type.String(),
    state: State,
    desiredGen: Nullable(
      Type.String({ description: "Desired generation of the device's render target (null: never rendered)." }),
    ),
    renderedGen: Nullable(Type.String()),
    renderedHash: Nullable(Type.String({ description: "Combined hash of the device's current files." })),
    lastFetchedHash: Nullable(Type.String({ description: 'sha256 of the file the device fetched last.' })),
    lastFetchedAt: Nullable(Timestamp),
    notifiedAt: Nullable(Timestamp),
    attempts: Type.Integer({ description: 'Notifies sent for the current change.' }),
    lastOutcome: Nullable(Type.String()),
    staleReason: Nullable(Type.String()),
    notifier: Notifier,
    renderError: Type.Union([RenderErrorView, Type.Null()], {
      description: 'Why the last render of the device failed (state render-failed); null once a render succeeds.',
    }),
  },
  { additionalProperties: false },
);
export type DeviceSyncViewType = Static<typeof DeviceSyncView>;

export const DeviceSyncList = Page(DeviceSyncView);

export const DeviceSyncQuery = Type.Object(
  {
    state: Type.Optional(State),
    mac: Type.Optional(
      Type.String({ pattern: '^[0-9A-Fa-f:.\\- ]{1,17}$', description: 'Part of the MAC, any separators.' }),
    ),
    ...PageQueryFields,
  },
  { additionalProperties: false },
);

export const SyncSummaryView = Type.Object(
  {
    inSync: Type.Integer(),
    pending: Type.Integer(),
    notified: Type.Integer(),
    stale: Type.Integer(),
    neverSeen: Type.Integer(),
    total: Type.Integer(),
    renderFailed: Type.Integer({ description: 'Devices whose last render failed (state render-failed).' }),
    notifier: Notifier,
  },
  { additionalProperties: false },
);
export type SyncSummaryViewType = Static<typeof SyncSummaryView>;
