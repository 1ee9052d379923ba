import { randomBytes } from 'node:crypto';
import { inPool } from '../lib/admin.js';
import type { BatteryContext } from '../lib/context.js';
import { PhoneClient } from '../lib/phone-client.js';
import type { Recorder } from '../lib/result.js';
import { VENDOR_OUIS, VENDORS } from '../lib/seed.js';
import { deviceFileNames, knownModelIds } from '#src/modules/render/device/index.js';

/** A device file path for a random MAC under a real vendor prefix, named as that vendor's phones ask. */
function guessedPath(index: number): string {
  const vendor = VENDORS[index % VENDORS.length]!;
  const ouis = VENDOR_OUIS[vendor];
  const mac = `${ouis[index % ouis.length]}${randomBytes(3).toString('hex')}`;
  return `/${deviceFileNames(vendor, mac, knownModelIds(vendor)[0]!)[0]}`;
}

interface Tally {
  statuses: Record<string, number>;
  served: number;
  firstBanAfter?: { requests: number; ms: number };
}

function tally(answers: { status: number; error?: string }[]): Tally {
  const statuses: Record<string, number> = {};
  for (const answer of answers) {
    const key = answer.error ? `error ${answer.error}` : String(answer.status);
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  return { statuses, served: answers.filter((answer) => answer.status === 200 || answer.status === 304).length };
}

const fmt = (statuses: Record<string, number>) =>
  Object.entries(statuses)
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');

/**
 * Enumeration of device files: random MACs with real vendor prefixes, first all from one
 * source address, then spread over many (127.x.y.z aliases of loopback), then the API process
 * is restarted and every banned source is tried again.
 */
export async function enumeration(context: BatteryContext, record: Recorder): Promise<void> {
  const { stack, sizes, errors } = context;
  // Phase 1: one source.
  const single = new PhoneClient(stack.phoneUrl, '127.10.0.1', errors, 16);
  const started = Date.now();
  let firstBan: { requests: number; ms: number } | undefined;
  let sent = 0;
  const singleAnswers = await inPool(
    Array.from({ length: sizes.macs }, (_, i) => i),
    16,
    async (i) => {
      const answer = await single.get(guessedPath(i));
      sent += 1;
      if (answer.status === 403 && !firstBan) firstBan = { requests: sent, ms: Date.now() - started };
      return answer;
    },
  );
  const singleSeconds = (Date.now() - started) / 1000;
  single.close();
  const one = tally(singleAnswers);

  // Phase 2: the same number of guesses spread round-robin over many sources.
  const sources = Array.from(
    { length: sizes.spreadSources },
    (_, i) => `127.20.${Math.floor(i / 250)}.${(i % 250) + 1}`,
  );
  const clients = sources.map((source) => new PhoneClient(stack.phoneUrl, source, errors, 2));
  const bannedSources = new Set<string>();
  const spreadStarted = Date.now();
  const spreadAnswers = await inPool(
    Array.from({ length: sizes.macs }, (_, i) => i),
    32,
    async (i) => {
      const client = clients[i % clients.length]!;
      const answer = await client.get(guessedPath(i));
      if (answer.status === 403) bannedSources.add(client.source);
      return answer;
    },
  );
  const spreadSeconds = (Date.now() - spreadStarted) / 1000;
  clients.forEach((client) => client.close());
  const many = tally(spreadAnswers);

  // Phase 3: restart the API process (phone server), then every banned source once more.
  await stack.services.api.signal('SIGTERM');
  await stack.startService('api');
  await stack.waitReady();
  const banned = ['127.10.0.1', ...bannedSources];
  const stillBanned = (
    await inPool(banned, 16, async (source) => {
      const client = new PhoneClient(stack.phoneUrl, source, errors, 1);
      const answer = await client.get('/y000000000066.cfg');
      client.close();
      return answer.status === 403;
    })
  ).filter(Boolean).length;
  const control = new PhoneClient(stack.phoneUrl, '127.30.0.1', errors, 1);
  const controlStatus = (await control.get('/y000000000066.cfg')).status;
  control.close();

  record.figure('guessed MACs from one source', sizes.macs);
  record.figure('one source: answers', fmt(one.statuses));
  record.figure('one source: banned after', firstBan ? `${firstBan.requests} requests, ${firstBan.ms} ms` : 'never');
  record.figure('one source: guesses per second', Math.round(sizes.macs / singleSeconds));
  record.figure(`spread over ${sources.length} sources: answers`, fmt(many.statuses));
  record.figure('spread: sources banned', `${bannedSources.size} of ${sources.length}`);
  record.figure('spread: guesses per second', Math.round(sizes.macs / spreadSeconds));
  record.figure('bans still in force after an API restart', `${stillBanned} of ${banned.length}`);
  record.expect('configs served to guessed MACs (one source)', one.served, 0, `${one.served} of ${sizes.macs}`);
  record.expect('configs served to guessed MACs (spread)', many.served, 0, `${many.served} of ${sizes.macs}`);
  record.expect('one source banned', !!firstBan, true, firstBan ? `after ${firstBan.requests} requests` : 'never');
  record.expect(
    'bans lost by the API restart',
    banned.length - stillBanned,
    0,
    `${banned.length - stillBanned} of ${banned.length}`,
  );
  record.expect('an unbanned source still served (control)', controlStatus, 200);
  record.expect(
    'requests without an answer',
    (one.statuses['error timeout'] ?? 0) + (many.statuses['error timeout'] ?? 0),
    0,
  );
}
