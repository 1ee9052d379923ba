import { Redis } from 'ioredis';
import { sleep, until } from '../lib/admin.js';
import type { BatteryContext } from '../lib/context.js';
import { EditStream } from '../lib/edits.js';
import { importedContacts, importFinished, startContactsImport } from '../lib/imports.js';
import { compareWithFreshRender, converge, waitConverged } from '../lib/oracle.js';
import { timeToRenderedChange } from '../lib/probe.js';
import { Recorder, spread } from '../lib/result.js';

const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));

/**
 * Redis `kill -9` and restart (same port and AOF folder) N times under a stream of API writes,
 * then one FLUSHALL right after a change fanned out to every device of tenant A. The service
 * processes are never restarted: they must reconnect by themselves, and after the flush only
 * the sweeper (Postgres is the truth) can bring the lost renders back.
 */
export async function redisFaults(context: BatteryContext, record: Recorder): Promise<void> {
  const { stack, db, sizes, a, log } = context;
  const probe = context.extras.probe;
  const flushImportRows = Math.max(200, Math.round(sizes.contacts / 10));
  const exitsBefore = stack.exits.filter((exit) => !exit.requested).length;
  const edits = new EditStream(a, context.extras.contactIds, 'Redit');
  edits.start();
  const resumeMs: number[] = [];
  let neverResumed = 0;
  try {
    for (let round = 0; round < sizes.redisRestarts; round++) {
      await sleep(random(1000, 3000));
      await stack.redis.kill9();
      await sleep(random(300, 2000));
      await stack.redis.start();
      const up = Date.now();
      const ms = await timeToRenderedChange(db, a, probe, `Rprobe${round}x`, up, 120_000);
      if (ms === undefined) neverResumed += 1;
      else resumeMs.push(ms);
      if ((round + 1) % 5 === 0) log(`  ${round + 1}/${sizes.redisRestarts} Redis restarts`);
    }
  } finally {
    await edits.stop();
  }
  await waitConverged(db, sizes.convergeMs).catch((error: Error) => log(`  before FLUSHALL: ${error.message}`));

  const flushes: number[] = [];
  let flushNeverConverged = 0;
  log('  restarts done');
  const flushImports: string[] = [];
  for (let flush = 0; flush < sizes.redisFlushes; flush++) {
    // An import in flight too: its job goes with the flush, its row in Postgres stays.
    flushImports.push(await startContactsImport(a, flushImportRows, `Fimp${flush}x`, 4_000_000 + flush * 100_000));
    await a.owner.ok('PATCH', `/api/v1/tenants/${a.slug}/profiles/${a.profileId}`, {
      settings: { sipServer: 'sip.battery.example', ntpServer: `ntp-flush${flush}.battery.example` },
    });
    // The relay has turned the change into render jobs (in Redis) once the outbox is empty.
    await until(
      async () => (await db.query(`select count(*)::int as n from change_outbox`)).rows[0].n === 0,
      30_000,
      'outbox drained',
      10,
    );
    const redis = new Redis(stack.redisUrl);
    await redis.flushall();
    redis.disconnect();
    const flushedAt = Date.now();
    try {
      await waitConverged(db, Math.min(sizes.convergeMs, 180_000));
      flushes.push(Date.now() - flushedAt);
    } catch (error) {
      flushNeverConverged += 1;
      log(`  after FLUSHALL: ${(error as Error).message}`);
    }
  }
  const imports = await Promise.all(
    flushImports.map((id) => importFinished(db, id, sizes.convergeMs).catch(() => undefined)),
  );
  const importsIncomplete = (
    await Promise.all(
      flushImports.map(
        async (_, flush) => (await importedContacts(db, a.id, `Fimp${flush}x`, flushImportRows)).missing,
      ),
    )
  ).reduce((sum, missing) => sum + missing, 0);
  log(`  FLUSHALL: converged after ${flushes.join(' / ') || 'never'} ms`);
  const afterFlush = await timeToRenderedChange(db, a, probe, 'Rprobeflushx', Date.now(), 120_000);
  await converge(db, sizes.convergeMs, record);
  const editCheck = await edits.verify(db);
  const oracle = await compareWithFreshRender(stack.databaseUrl, stack.publicPhoneUrl);
  const processDeaths = stack.exits.filter((exit) => !exit.requested).length - exitsBefore;

  record.figure('Redis kill -9 + restart', sizes.redisRestarts);
  record.figure(
    'time to resume: restart → a new change rendered (median / max)',
    `${spread(resumeMs).median} / ${spread(resumeMs).max}`,
    'ms',
  );
  record.figure('FLUSHALL', sizes.redisFlushes);
  record.figure('time to converge after FLUSHALL', flushes.length ? flushes.join(' / ') : 'never', 'ms');
  record.figure('API writes during restarts (acknowledged)', `${editCheck.writes} (${editCheck.acknowledged})`);
  record.expect('restarts after which changes never rendered again', neverResumed, 0);
  record.expect('service processes that died (a restart would be needed)', processDeaths, 0);
  record.expect('FLUSHALL: no convergence (sweeper did not restore it)', flushNeverConverged, 0);
  record.expect(
    'imports in flight at FLUSHALL that completed',
    imports.filter((row) => row?.status === 'done').length,
    flushImports.length,
  );
  record.expect('lost updates: rows of those imports missing', importsIncomplete, 0);
  record.expect(
    'a change after FLUSHALL is rendered',
    afterFlush !== undefined,
    true,
    afterFlush === undefined ? 'never' : `${afterFlush} ms`,
  );
  record.expect(
    'lost updates: acknowledged API writes missing',
    editCheck.lost.length,
    0,
    editCheck.lost.slice(0, 3).join('; ') || '0',
  );
  record.expect(
    'divergent artifacts',
    oracle.divergent.length,
    0,
    oracle.divergent
      .slice(0, 3)
      .map((d) => `${d.target} ${d.path} ${d.problem}`)
      .join('; ') || `0 of ${oracle.artifacts}`,
  );
}
