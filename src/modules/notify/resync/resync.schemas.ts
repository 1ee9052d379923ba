import { Type, type Static } from '@sinclair/typebox';
import { Timestamp } from '../../../http/api-schemas.js';

export const ResyncBody = Type.Object(
  {
    reboot: Type.Optional(
      Type.Boolean({ default: false, description: "Send the vendor's reboot variant instead of a plain resync." }),
    ),
  },
  { additionalProperties: false },
);
export type ResyncBodyType = Static<typeof ResyncBody>;

/** A condition the caller should know about although the request was accepted (docs/notify.md, "Warnings"). */
export const Warning = Type.Object(
  { code: Type.String({ description: 'Machine-readable, e.g. no_notifier_configured.' }), message: Type.String() },
  { additionalProperties: false },
);
export type WarningType = Static<typeof Warning>;

export const ResyncAccepted = Type.Object(
  {
    jobId: Type.String(),
    replayed: Type.Boolean({
      description: 'True when an earlier request with the same Idempotency-Key created this job.',
    }),
    notifier: Type.String({
      description:
        "The tenant's notifier driver: sip, asterisk-ami, freeswitch, or none (phones are re-rendered but not told).",
    }),
    warnings: Type.Array(Warning, {
      description: 'Empty when the resync will reach phones as asked; no_notifier_configured when the driver is none.',
    }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        jobId: 'resync-3f1c2a7e-8a1b-4c2d-9e3f-0a1b2c3d4e5f',
        replayed: false,
        notifier: 'none',
        warnings: [
          {
            code: 'no_notifier_configured',
            message:
              'no notifier is configured for this tenant: files are re-rendered, no phone is told to fetch them (PUT /tenants/{tenant}/notifier)',
          },
        ],
      },
    ],
  },
);

export const JobParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }),
});

export const JobView = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    state: Type.String({ description: 'waiting, delayed, active, completed, failed, …' }),
    progress: Type.Unknown({ description: 'For resync jobs: { total, processed, notifies }.' }),
    result: Type.Unknown(),
    failedReason: Type.Union([Type.String(), Type.Null()]),
    attemptsMade: Type.Integer(),
    createdAt: Timestamp,
    processedAt: Type.Union([Timestamp, Type.Null()]),
    finishedAt: Type.Union([Timestamp, Type.Null()]),
  },
  {
    additionalProperties: false,
    examples: [
      {
        id: '42',
        name: 'resync',
        state: 'completed',
        progress: { total: 2, processed: 2, notifies: 2 },
        result: { notifies: 2 },
        failedReason: null,
        attemptsMade: 1,
        createdAt: '2026-12-07T10:00:00.000Z',
        processedAt: '2026-12-07T10:00:00.100Z',
        finishedAt: '2026-12-07T10:00:01.000Z',
      },
    ],
  },
);
export type JobViewType = Static<typeof JobView>;
