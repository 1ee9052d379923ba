import { Queue, QueueEvents } from 'bullmq';
import { queuePrefixOf } from '#src/queues/catalogue.js';
import { Redis } from 'ioredis';
import { until } from '../lib/admin.js';
import type { BatteryContext } from '../lib/context.js';
import { compareWithFreshRender, converge } from '../lib/oracle.js';
import type { Recorder } from '../lib/result.js';
import { RENDER_WORKERS } from '../lib/stack.js';

/**
 * SIGTERM to every render worker while a profile change has put one render per device of tenant
 * C in flight: how long the exits take, whether any job is left active (it would stall), stalled
 * events after the restart, and whether the renders still all land with fresh-render bytes.
 */
export async function sigtermInFlight(context: BatteryContext, record: Recorder): Promise<void> {
  const { stack, db, sizes, c } = context;
  const connection = new Redis(stack.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('render', { connection, prefix: queuePrefixOf(stack.queuePrefix, 'render') });
  const eventsConnection = connection.duplicate();
  const events = new QueueEvents('render', {
    connection: eventsConnection,
    prefix: queuePrefixOf(stack.queuePrefix, 'render'),
  });
  let stalled = 0;
  events.on('stalled', () => (stalled += 1));
  try {
    await events.waitUntilReady();
    // A job of a worker killed earlier stays "active" until the stall check moves it: let that
    // happen first, so every stalled event counted below belongs to this SIGTERM.
    await until(async () => (await queue.getActiveCount()) === 0, 120_000, 'no render job active').catch(
      () => undefined,
    );
    stalled = 0;
    // The renders are held in the queue (a global pause) until the fan-out has queued them, then
    // released and the signal sent as soon as a worker has taken one: polling a free-running
    // queue for "busy with the rest queued" raced the workers, which could drain all of a
    // reduced run's renders between two polls, so the precondition was sometimes never seen.
    await queue.pause();
    await c.owner.ok('PATCH', `/api/v1/tenants/${c.slug}/profiles/${c.profileId}`, {
      settings: { sipServer: 'sip.battery.example', ntpServer: 'ntp-sigterm.battery.example' },
    });
    const queuedAtRelease = await until(
      async () => {
        const queued = pendingCount(await queue.getJobCounts('waiting', 'delayed', 'prioritized'));
        return queued >= sizes.sigtermRenders / 2 ? queued : undefined;
      },
      60_000,
      'renders queued behind the pause',
      25,
    );
    await queue.resume();
    const inFlightAtSignal = await until(
      async () => {
        const counts = await queue.getJobCounts('active', 'waiting', 'delayed', 'prioritized');
        const active = counts.active ?? 0;
        return active > 0 ? { active, inFlight: active + pendingCount(counts) } : undefined;
      },
      60_000,
      'a render active after the release',
      2,
    );
    const exits = await Promise.all(RENDER_WORKERS.map((name) => stack.services[name].signal('SIGTERM', 60_000)));
    const leftActive = await queue.getActiveCount();
    const leftQueued = pendingCount(await queue.getJobCounts('waiting', 'delayed', 'prioritized'));
    await Promise.all(RENDER_WORKERS.map((name) => stack.startService(name)));
    context.log(`  exits ${exits.map((exit) => exit.ms).join(' / ')} ms; workers back`);
    await converge(db, sizes.convergeMs, record);
    const oracle = await compareWithFreshRender(stack.databaseUrl, stack.publicPhoneUrl);

    record.figure('renders queued when the pause was lifted', queuedAtRelease);
    record.figure('renders in flight at SIGTERM (active + queued)', inFlightAtSignal.inFlight);
    record.figure('of them active', inFlightAtSignal.active);
    record.figure('exit time per worker', exits.map((exit) => exit.ms).join(' / '), 'ms');
    record.figure('jobs left queued for the next worker', leftQueued);
    record.expect(
      'workers exited cleanly (code 0)',
      exits.every((exit) => exit.code === 0 && exit.signal === null),
      true,
      exits.map((exit) => `${exit.name}: ${exit.code ?? exit.signal}`).join(', '),
    );
    record.expect('jobs left active after the exits (would stall)', leftActive, 0);
    record.expect('stalled jobs reported after the restart', stalled, 0);
    record.expect(
      'divergent artifacts (half-written files included)',
      oracle.divergent.length,
      0,
      oracle.divergent
        .slice(0, 3)
        .map((d) => `${d.target} ${d.path} ${d.problem}`)
        .join('; ') || `0 of ${oracle.artifacts}`,
    );
  } finally {
    // A failed precondition must not leave the render queue paused for the scenarios after it.
    await queue.resume().catch(() => undefined);
    await events.close();
    await queue.close();
    eventsConnection.disconnect();
    connection.disconnect();
  }
}

function pendingCount(counts: Record<string, number>): number {
  return (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0);
}
