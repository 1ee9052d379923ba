import { sleep, until } from '../lib/admin.js';
import type { BatteryContext } from '../lib/context.js';
import { importedContacts, importFinished, importRow, startContactsImport } from '../lib/imports.js';
import { compareWithFreshRender, converge } from '../lib/oracle.js';
import { ApiProber } from '../lib/prober.js';
import { Recorder, spread } from '../lib/result.js';

const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));

/**
 * Postgres restarted (fast shutdown, start again on the same folder) N times while a contacts
 * import runs and a prober calls the API without pause. Every answer is classified; every
 * contact the API acknowledged must exist afterwards; the import must finish and everything
 * converge without restarting any service process.
 */
export async function postgresRestarts(context: BatteryContext, record: Recorder): Promise<void> {
  const { stack, db, sizes, a, log } = context;
  const exitsBefore = stack.exits.filter((exit) => !exit.requested).length;
  const importId = await startContactsImport(a, sizes.contacts, 'Pimp', 3_000_000);
  const prober = new ApiProber(a, 'Pprobe', context.canaries);
  prober.start();
  const recoveryMs: number[] = [];
  const downMs: number[] = [];
  let restartsDuringImport = 0;
  try {
    for (let round = 0; round < sizes.postgresRestarts; round++) {
      await sleep(random(1000, 3000));
      const status = (await importRow(db, importId).catch(() => undefined))?.status;
      if (status === 'running' || status === 'queued') restartsDuringImport += 1;
      const down = Date.now();
      await stack.postgres.stop();
      await sleep(random(500, 3000));
      await stack.postgres.start();
      const up = Date.now();
      downMs.push(up - down);
      const okAgain = await until(
        async () => prober.lastOkAt() > up && prober.lastOkAt(),
        120_000,
        'the API answering 2xx again',
      ).catch(() => undefined);
      if (okAgain) recoveryMs.push(okAgain - up);
      if ((round + 1) % 5 === 0) log(`  ${round + 1}/${sizes.postgresRestarts} Postgres restarts`);
    }
    await sleep(2000);
  } finally {
    await prober.stop();
  }
  log('  restarts done');
  const lastRestart = Date.now();
  const finished = await importFinished(db, importId, sizes.convergeMs).catch(() => undefined);
  await converge(db, sizes.convergeMs, record);
  const converged = Date.now() - lastRestart;
  const contacts = await importedContacts(db, a.id, 'Pimp', sizes.contacts);
  let lostCreated = 0;
  for (const table of ['contacts', 'accounts'] as const) {
    const ids = prober.created.filter((row) => row.table === table).map((row) => row.id);
    const { rows } = await db.query(`select count(*)::int as n from ${table} where id = any($1::uuid[])`, [ids]);
    lostCreated += ids.length - (rows[0] as { n: number }).n;
  }
  const oracle = await compareWithFreshRender(stack.databaseUrl, stack.publicPhoneUrl);
  const counts = prober.counts();
  const bad = prober.answers.filter((answer) => answer.kind === 'other 5xx' || answer.kind === 'stack trace');
  const processDeaths = stack.exits.filter((exit) => !exit.requested).length - exitsBefore;

  record.figure('Postgres restarts', sizes.postgresRestarts);
  record.figure('of them while the import was queued or running', restartsDuringImport);
  record.figure('Postgres down per restart (median / max)', `${spread(downMs).median} / ${spread(downMs).max}`, 'ms');
  record.figure('API answers during the run', prober.answers.length);
  for (const [kind, count] of Object.entries(counts)) record.figure(`answers: ${kind}`, count);
  record.figure(
    'API back to 2xx after Postgres is up (median / max)',
    `${spread(recoveryMs).median} / ${spread(recoveryMs).max}`,
    'ms',
  );
  record.figure('time to converge after the last restart', converged / 1000, 's');
  record.expect(
    'answers that were a 5xx other than a clear 503, or showed a stack trace',
    bad.length,
    0,
    bad.length
      ? `${bad.length}: ${bad
          .slice(0, 2)
          .map((answer) => `${answer.status} ${answer.body.slice(0, 120)}`)
          .join(' | ')}`
      : '0',
  );
  record.expect('API never answering again after a restart', sizes.postgresRestarts - recoveryMs.length, 0);
  record.expect(
    'committed lost: acknowledged contacts and accounts missing',
    lostCreated,
    0,
    `${lostCreated} of ${prober.created.length}`,
  );
  record.expect(
    'import completed',
    finished?.status ?? 'not finished',
    'done',
    `${finished?.status ?? 'not finished'}${finished?.failure ? `: ${finished.failure}` : ''}`,
  );
  record.expect('committed lost: imported contacts missing', contacts.missing, 0);
  record.expect('duplicate effects: contacts imported more than once', contacts.duplicated, 0);
  record.expect('service processes that died (a restart would be needed)', processDeaths, 0);
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
