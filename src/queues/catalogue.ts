/**
 * The one catalogue of queues and job names, with each job's payload. Payloads carry ids and
 * generations only, never data or secrets, so a job is safe to run twice and safe to log.
 */
export interface JobCatalogue {
  canary: {
    'canary.ping': { nonce: string };
  };
  render: {
    /** Render one target at (at least) this desired generation. */
    'render.target': { targetId: string; generation: string };
    /** Render the targets of a large fan-out together (no per-target deduplication), each at (at least) its generation. */
    'render.targets': { targetIds: string[]; generations: string[] };
  };
  pipeline: {
    /** Periodic: re-enqueue every target whose rendered generation lags. */
    'pipeline.sweep': Record<string, never>;
  };
  import: {
    /** Import the spooled upload of one contact_imports row (its file path and options live on the row). */
    'contacts.import': { importId: string };
  };
  notify: {
    /**
     * Ask one phone to fetch now (attempt 1), or check whether it did and ask again (attempt > 1).
     * The tenant's notifier credentials are read by the worker, never carried here.
     */
    'notify.device': { deviceId: string; reason: 'hash-changed' | 'admin'; reboot?: boolean; attempt: number };
    /** Admin resync of one device, a group's devices or the whole tenant: re-render, then notify. */
    'notify.resync': { tenantId: string; scope: 'device' | 'group' | 'tenant'; refId: string; reboot: boolean };
  };
}

export type QueueName = keyof JobCatalogue;
export type JobName<Q extends QueueName> = keyof JobCatalogue[Q] & string;
export type JobPayload<Q extends QueueName, J extends JobName<Q>> = JobCatalogue[Q][J];

/** Runtime list of every job name per queue; workers check their handlers against it at boot. */
export const JOB_NAMES: { [Q in QueueName]: readonly JobName<Q>[] } = {
  canary: ['canary.ping'],
  render: ['render.target', 'render.targets'],
  pipeline: ['pipeline.sweep'],
  import: ['contacts.import'],
  notify: ['notify.device', 'notify.resync'],
};

export const QUEUE_NAMES = Object.keys(JOB_NAMES) as QueueName[];

/**
 * Redis Cluster hash tag of each queue. BullMQ's scripts touch several keys of one queue at once
 * (wait list, job hashes, events stream, scheduler), so all of a queue's keys must hash to one
 * slot: its prefix carries `{tag}`. One tag per queue spreads the queues over the masters; queues
 * linked by a BullMQ flow (a parent waiting on children in another queue) must share a tag, since
 * the flow's scripts touch both. No queue is in a flow today.
 */
export const QUEUE_TAGS: { [Q in QueueName]: string } = {
  canary: 'canary',
  render: 'render',
  pipeline: 'pipeline',
  import: 'import',
  notify: 'notify',
};

/**
 * The BullMQ prefix of one queue: `<prefix>:{<tag>}`, so its keys are `<prefix>:{render}:render:…`
 * (every key of the deployment still starts with `<prefix>:`). Every Queue, Worker and
 * QueueEvents of a queue must be made with this prefix, never the bare one.
 */
export function queuePrefixOf(prefix: string, queue: QueueName): string {
  return `${prefix}:{${QUEUE_TAGS[queue]}}`;
}
