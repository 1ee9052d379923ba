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
    await c.owner.ok('PATCH', `/api/v1/tenants/${c.slug}/profiles/${c.profileId}`, {
      settings: { sipServer: 'sip.battery.example', ntpServer: 'ntp-sigterm.battery.example' },
    });
    // Signal when both workers are busy (their concurrency mostly used) with the rest queued;
    // after a few seconds, any active render will do.
    const busyEnough = Math.min(8, Math.ceil(sizes.sigtermRenders / 4));
    const patient = Date.now() + 5000;
    const inFlightAtSignal = await until(
      async () => {
        const counts = await queue.getJobCounts('active', 'waiting', 'delayed', 'prioritized');
        const active = counts.active ?? 0;
        const inFlight = active + (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0);
        const ready = active >= busyEnough || (active > 0 && Date.now() > patient);
        return ready && inFlight >= sizes.sigtermRenders / 2 ? { active, inFlight } : undefined;
      },
      60_000,
      'renders in flight',
      10,
    );
    const exits = await Promise.all(RENDER_WORKERS.map((name) => stack.services[name].signal('SIGTERM', 60_000)));
    const leftActive = await queue.getActiveCount();
    const counts = await queue.getJobCounts('waiting', 'delayed', 'prioritized');
    await Promise.all(RENDER_WORKERS.map((name) => stack.startService(name)));
    context.log(`  exits ${exits.map((exit) => exit.ms).join(' / ')} ms; workers back`);
    await converge(db, sizes.convergeMs, record);
    const oracle = await compareWithFreshRender(stack.databaseUrl, stack.publicPhoneUrl);

    record.figure('renders in flight at SIGTERM (active + queued)', inFlightAtSignal.inFlight);
    record.figure('of them active', inFlightAtSignal.active);
    record.figure('exit time per worker', exits.map((exit) => exit.ms).join(' / '), 'ms');
    record.figure('jobs left queued for the next worker', counts.waiting! + counts.delayed! + counts.prioritized!);
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
    await events.close();
    await queue.close();
    eventsConnection.disconnect();
    connection.disconnect();
  }
}
