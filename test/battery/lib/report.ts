import type { BatteryReport } from './battery.js';

const cell = (text: string | number) =>
  (typeof text === 'number' ? text.toLocaleString('en-US') : text).replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** docs/reliability.md: how to run the battery, what it checks, and the figures of one run. */
export function renderReliabilityDoc(report: BatteryReport & { scale: number }): string {
  const lines: string[] = [];
  const push = (...text: string[]) => lines.push(...text);
  push(
    '# Reliability and security battery',
    '',
    'The battery starts the real service processes — the API (admin API + phone server,',
    '`src/main.ts`), two render workers (`workers/render.ts`, which also run contact imports), the',
    'relay (`workers/relay.ts`) and the notify worker (`workers/notify.ts`) — each as its own OS',
    'process, against a Postgres and a Redis (AOF on) it starts itself under `.data/battery-*` on free',
    'ports. It then attacks them, breaks what they depend on, and checks one oracle throughout:',
    '**every render target ends rendered at its desired generation with bytes equal to a fresh',
    "render** (the product's renderers from `src/app/renderers.ts`, called in the battery process",
    'against the final database state, compared by sha256 file by file), every stored XML file parses',
    'strictly, and nothing acknowledged by the API is missing.',
    '',
    '## Reproduce',
    '',
    '```sh',
    'npm run battery                      # the full battery (sizes below); writes this file',
    'BATTERY_SCALE=0.1 npm run battery    # everything ten times smaller',
    'npm run battery -- redis postgres    # some scenarios only (plus the canary search)',
    'npx vitest run --project integration test/integration/battery   # the reduced battery of `npm test`',
    '```',
    '',
    'Results: `test/battery/results/scale-<scale>.json` (every figure and invariant). Service logs of',
    'a run stay in `.data/battery-run-<pid>/logs/` (one file per process start).',
    '',
    `## Figures (scale ${report.scale}, ${report.date.slice(0, 10)}, commit ${report.commit})`,
    '',
    `Machine: ${report.machine}; shared with other work, so times are indications, not benchmarks.`,
    `Sizes: ${Object.entries(report.sizes)
      .filter(([key]) => key !== 'convergeMs')
      .map(([key, value]) => `${key} ${value}`)
      .join(', ')}. Whole run: ${report.seconds} s.`,
    '',
  );
  for (const result of report.results) {
    push(`### ${result.title}`, '', '| Figure or invariant | Measured |', '|---|---|');
    for (const figure of result.figures)
      push(`| ${cell(figure.label)} | ${cell(figure.value)}${figure.unit ? ` ${figure.unit}` : ''} |`);
    for (const invariant of result.invariants)
      push(`| ${invariant.ok ? '✅' : '❌'} ${cell(invariant.name)} | ${cell(invariant.detail)} |`);
    if (result.error) push(`| ❌ stopped | ${cell(result.error.split('\n')[0]!)} |`);
    push('');
  }
  push(...STATIC_SECTIONS);
  return lines.join('\n') + '\n';
}

const STATIC_SECTIONS = [
  '## What the battery found, and what changed in the product',
  '',
  '- **FLUSHALL stopped convergence for good.** The sweep runs from a BullMQ job scheduler, which',
  '  lives in Redis: a FLUSHALL removed it, so renders whose jobs were flushed were never redone',
  '  (17 of 115 targets stayed behind for minutes in the first run). The relay now checks the',
  '  schedule every interval and restores it (`keepSweeperScheduled`, `src/modules/pipeline/sweeper.ts`).',
  '- **Imports could be stranded.** A contacts import whose job Redis lost (FLUSHALL), or whose job',
  '  BullMQ failed without running the handler (a worker killed in it more often than the stall',
  '  limit allows — seen three times in one run of 50 kills), stayed `queued`/`running` forever. The',
  '  sweep now requeues such imports; the job resumes after the last committed batch, so nothing is',
  '  skipped or doubled. Bounded: after 10 requeues the import is marked failed',
  '  (`src/modules/contacts/import/import-sweep.ts`).',
  '- **A Postgres restart could answer 500.** A request whose transaction lost its connection to the',
  '  restart got knex\'s "Transaction query already complete" on its next query, or pg\'s "Client has',
  '  encountered a connection error and is not queryable" from a broken pooled client; the error',
  '  handler knew neither as an outage. Both now answer the clear 503 (`src/errors/error-handler.ts`).',
  '- **Failed statements were logged with their values.** The same errors carry the statement in',
  '  their message, and MikroORM inlines bound values into it (batch inserts, `execute` with',
  '  parameters): the API log showed `insert into "contacts" … values (…, \'Pprobe25\', …)`; a failed',
  "  account insert would have logged its SIP password. The logger's error serializer now cuts every",
  '  statement out of messages, stacks and causes (`src/logger/logger.ts`). The Postgres scenario',
  '  creates accounts with canary SIP passwords while it restarts the database, so this stays covered.',
  '',
  'Each fix has a focused test: `test/integration/battery/sweeper-schedule.test.ts`,',
  '`test/integration/battery/stranded-imports.test.ts`, `test/unit/battery/unavailable-errors.test.ts`,',
  '`test/unit/battery/log-statement-redaction.test.ts`.',
  '',
  '## What each scenario does',
  '',
  '- **Credentials** — for every device of tenant A and every file of it: its own Digest credentials',
  "  must fetch the stored bytes (control), another device's secret must be refused (under either MAC),",
  '  and the exact Authorization header of a successful fetch, replayed, must be refused.',
  "- **Enumeration** — random MACs under real vendor OUIs, named as each vendor's phones ask, first",
  '  from one source address, then spread round-robin over many. Sources are 127.x.y.z addresses bound',
  "  as the client sockets' local address (Linux routes all of 127/8 to loopback; nothing on the host",
  "  changes). The phone server listens on 127.0.0.1 with only 127.0.0.1 whitelisted (the battery's",
  '  own legitimate client). Then the API process is restarted and every banned source tries again.',
  "- **Isolation** — every operation of `GET /docs/json`, its path parameters filled with tenant A's",
  "  real ids (listed with A's token), request bodies generated from the schema (ids in them A's too),",
  "  sent with tenant B's owner token. A control run reads every GET route with A's own token.",
  "- **Worker kills** — a contacts import (CSV job) into A's default phonebook, which every device",
  '  of A sees, plus a stream of API writes (contact and account renames, new contacts); at random',
  '  moments a render worker gets `kill -9` and is started again. Checked: import complete, each row',
  '  exactly once, every acknowledged write present, every artifact equal to a fresh render.',
  '- **SIGTERM** — a profile change puts one render per device of tenant C in flight; both render',
  '  workers get SIGTERM. Checked: exit code, exit time, jobs left active, stalled events, artifacts.',
  '- **Redis** — `kill -9` of redis-server and a restart on the same port and folder, under API',
  '  writes; after each restart the time until a new change is rendered. Then FLUSHALL right after a',
  '  change fanned out to every device of A. No service process is restarted.',
  '- **Postgres** — fast shutdown and start of Postgres during a contacts import while a prober',
  '  reads and writes without pause; every answer classified (2xx, 503 with a JSON `{code, message}`,',
  '  other 5xx, stack trace, no answer within 15 s).',
  '- **Canaries** — SIP passwords, device secrets, API tokens, the platform token, the AMI secret',
  '  (the notify worker logs in to a scripted AMI peer with it) and profile admin passwords, all',
  '  unique, searched in every process log, the Postgres and Redis logs, every Redis key and value',
  '  (snapshots before and after the faults), the Redis append-only files, all BullMQ job data,',
  '  results, failure reasons and stack traces, and every HTTP error body any client received.',
  '',
  '## Hostile input: where it is tested',
  '',
  'Property-based (fast-check) suites, all part of `npm test`:',
  '',
  '| Hazard | Test |',
  '|---|---|',
  '| Names with XML metacharacters, `]]>`, control characters, lone surrogates, emoji, RTL marks in every phonebook format: strict parse, exact element count | `test/unit/render/phonebook/injection.test.ts` |',
  '| The same in device files (display names, labels, passwords) of every vendor: same markup / key set | `test/unit/render/device/property.test.ts`, `safety.test.ts` |',
  '| 1 MB names, account and contact, through every device and phonebook format | `test/unit/battery/huge-names.test.ts` |',
  '| Hostile names through the admin API and the whole pipeline: every stored XML artifact parses | the battery oracle (above) |',
  '| CSV export neutralises `= + - @`, tab, CR (reversibly) | `test/unit/contacts/csv-export.test.ts` |',
  '| E.164: idempotent, rejects letters, junk and invalid numbers, never guesses a country | `test/unit/battery/e164.property.test.ts` |',
  '| MAC: every separator and case form → one canonical form; multicast, zero, broadcast rejected | `test/unit/battery/mac.property.test.ts` |',
  '| Path fuzz on the phone port (traversal, encoded dots, NUL, overlong, odd MAC forms): only 400/404 | `test/integration/phone-server/paths-and-responses.test.ts`, `test/unit/phone/requested-file.test.ts` |',
  '| Import: BOM, CRLF, `;`, duplicates, oversized → 413 | `test/unit/contacts/csv-import*.test.ts`, `test/integration/contacts/contacts-import*.test.ts` |',
  '',
  'The reduced battery (`test/integration/battery/battery-reduced.test.ts`) runs every scenario above',
  'at a tiny size inside `npm test` and asserts the invariants (never timings).',
];
