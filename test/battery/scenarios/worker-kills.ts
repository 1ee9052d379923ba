import { sleep, until } from '../lib/admin.js';
import type { BatteryContext } from '../lib/context.js';
import { EditStream } from '../lib/edits.js';
import { importedContacts, importFinished, importRow, startContactsImport } from '../lib/imports.js';
import { compareWithFreshRender, converge } from '../lib/oracle.js';
import { Recorder, spread } from '../lib/result.js';
import { RENDER_WORKERS } from '../lib/stack.js';

const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));

/**
 * `kill -9` of a render worker (it also runs contact imports) at random moments, N times, while
 * a large contacts import runs and the admin API keeps writing; each killed worker is started
 * again. Then: every imported and every acknowledged contact present exactly once, every
 * artifact equal to a fresh render, nothing left pending.
 */
export async function workerKills(context: BatteryContext, record: Recorder): Promise<void> {
  const { stack, db, sizes, a, log } = context;
  const started = Date.now();
  const importId = await startContactsImport(a, sizes.contacts, 'Kimp', 1_000_000);
  const edits = new EditStream(a, context.extras.contactIds, 'Kedit');
  edits.start();
  let killsDuringImport = 0;
  const restartMs: number[] = [];
  let importEndedAt: number | undefined;
  const pending = async () => ['queued', 'running'].includes((await importRow(db, importId))?.status ?? '');
  try {
    // The first kill lands while the import runs; later ones come faster while it still does.
    await until(async () => (await importRow(db, importId))?.status !== 'queued', 60_000, 'the import to start').catch(
      () => undefined,
    );
    for (let kill = 0; kill < sizes.workerKills; kill++) {
      await sleep(kill === 0 ? random(50, 400) : (await pending()) ? random(200, 1500) : random(300, 2500));
      const alive = RENDER_WORKERS.filter((name) => stack.services[name].alive);
      const victim = stack.services[alive[random(0, alive.length)]!];
      const status = (await importRow(db, importId))?.status;
      if (status === 'running' || status === 'queued') killsDuringImport += 1;
      else importEndedAt ??= Date.now();
      await victim.signal('SIGKILL');
      await sleep(random(0, 1500));
      const restart = Date.now();
      await stack.startService(victim.name as (typeof RENDER_WORKERS)[number]);
      restartMs.push(Date.now() - restart);
      if ((kill + 1) % 10 === 0) log(`  ${kill + 1}/${sizes.workerKills} kills (import ${status})`);
    }
  } finally {
    await edits.stop();
  }
  const lastKill = Date.now();
  const finished = await importFinished(db, importId, sizes.convergeMs).catch(() => undefined);
  log(`  kills done; import ${finished?.status ?? 'not finished'}`);
  await converge(db, sizes.convergeMs, record);
  log('  converged; comparing with a fresh render');
  const contacts = await importedContacts(db, a.id, 'Kimp', sizes.contacts);
  const editCheck = await edits.verify(db);
  const oracle = await compareWithFreshRender(stack.databaseUrl, stack.publicPhoneUrl);

  record.figure('worker kills (kill -9)', sizes.workerKills);
  record.figure('kills while the import was queued or running', killsDuringImport);
  record.figure('import rows', sizes.contacts);
  record.figure('import finished after (from the upload)', ((importEndedAt ?? Date.now()) - started) / 1000, 's');
  record.figure(
    'worker restart to ready (median / max)',
    `${spread(restartMs).median} / ${spread(restartMs).max}`,
    'ms',
  );
  record.figure('API writes during kills (acknowledged)', `${editCheck.writes} (${editCheck.acknowledged})`);
  record.figure('time to converge after the last kill', (Date.now() - lastKill) / 1000, 's');
  record.figure('artifacts compared with a fresh render', oracle.artifacts);
  record.expect(
    'import completed',
    finished?.status ?? 'not finished',
    'done',
    `${finished?.status ?? 'not finished'}${finished?.failure ? `: ${finished.failure}` : ''}`,
  );
  record.expect('lost updates: imported contacts missing', contacts.missing, 0);
  record.expect(
    'lost updates: acknowledged API writes missing',
    editCheck.lost.length,
    0,
    editCheck.lost.slice(0, 3).join('; ') || '0',
  );
  record.expect('duplicate effects: contacts imported more than once', contacts.duplicated, 0);
  record.expect(
    'duplicate effects: import counters vs rows',
    finished ? finished.created + finished.merged + finished.failed : -1,
    sizes.contacts,
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
