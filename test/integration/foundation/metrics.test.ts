import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../../scripts/stack/ports.js';
import { createTestDatabase } from '../../helpers/database.js';

const tsx = 'node_modules/.bin/tsx';

/** Every provd family the processes expose (docs/performance.md "Metrics" lists them). */
const FAMILIES = [
  'provd_http_requests_total',
  'provd_http_request_duration_seconds',
  'provd_render_duration_seconds',
  'provd_renders_total',
  'provd_notify_outcomes_total',
  'provd_outbox_depth',
  'provd_outbox_lag_seconds',
  'provd_queue_jobs',
  'provd_phone_fetches_total',
  'provd_phone_auth_failures_total',
  'provd_phone_bans_total',
  'provd_phone_banned_sources',
];

/** Family names from the `# TYPE` lines, plus the series names a histogram or summary adds. */
function exposedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = match as unknown as [string, string, string];
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
  }
  return names;
}

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'and',
  'or',
  'unless',
  'inf',
  'nan',
]);

/** Metric names an expression selects: identifiers that are neither functions, keywords, label names nor strings. */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names: string[] = [];
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const word = match[0];
    const after = stripped.slice(match.index! + word.length).trimStart();
    if (after.startsWith('(') || PROMQL_WORDS.has(word.toLowerCase()) || /^\d/.test(word)) continue;
    names.push(word);
  }
  return names;
}

function waitFor(url: string, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  return (async () => {
    while (Date.now() < deadline) {
      if (
        await fetch(url)
          .then((r) => r.ok)
          .catch(() => false)
      )
        return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${url} did not answer`);
  })();
}

describe('metrics of every process', () => {
  let database: { url: string; drop: () => Promise<void> };
  const children: ChildProcess[] = [];
  let admin: string;
  let phone: string;
  let worker: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const [adminPort, phonePort, workerPort] = [await freePort(), await freePort(), await freePort()];
    // Nothing about metrics is configured: they are on by default.
    const env = {
      PATH: process.env.PATH,
      PROVD_DATABASE_URL: database.url,
      PROVD_REDIS_URL: inject('redisUrl'),
      PROVD_QUEUE_PREFIX: `m${randomBytes(4).toString('hex')}`,
      PROVD_ADMIN_PORT: String(adminPort),
      PROVD_PHONE_PORT: String(phonePort),
      PROVD_WORKER_METRICS_PORT: String(workerPort),
      PROVD_LOG_LEVEL: 'warn',
      PROVD_DIGEST_NONCE_KEY: randomBytes(32).toString('hex'),
    };
    children.push(
      spawn(tsx, ['src/main.ts'], { env, stdio: 'ignore' }),
      spawn(tsx, ['workers/main.ts'], { env, stdio: 'ignore' }),
    );
    admin = `http://127.0.0.1:${adminPort}`;
    phone = `http://127.0.0.1:${phonePort}`;
    worker = `http://127.0.0.1:${workerPort}`;
    await Promise.all([waitFor(`${admin}/readyz`, 60000), waitFor(`${worker}/healthz`, 60000)]);
  }, 180000);

  afterAll(async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise((resolve) =>
            child.exitCode !== null ? resolve(undefined) : (child.once('exit', resolve), child.kill('SIGTERM')),
          ),
      ),
    );
    await database?.drop();
  });

  async function scrape(base: string): Promise<string> {
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    return response.text();
  }

  it('the admin port (admin API and the phone server of that process) lists every family', async () => {
    const names = exposedNames(await scrape(admin));
    for (const family of FAMILIES) expect(names.has(family), family).toBe(true);
  });

  it('the worker status port lists every family and answers /healthz with its Postgres and Redis checks', async () => {
    const names = exposedNames(await scrape(worker));
    for (const family of FAMILIES) expect(names.has(family), family).toBe(true);
    const health = await fetch(`${worker}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('a phone fetch is counted by kind and answer; the public phone port never serves /metrics', async () => {
    expect((await fetch(`${phone}/no-such-file.txt`)).status).toBe(404);
    expect((await fetch(`${phone}/metrics`)).status).toBe(404);
    const text = await scrape(admin);
    expect(text).toMatch(/provd_phone_fetches_total\{kind="common",answer="404"[^}]*\} [1-9]/);
  });

  it('every PromQL expression of the Grafana dashboard names only metrics the processes expose', async () => {
    const exposed = new Set([...exposedNames(await scrape(admin)), ...exposedNames(await scrape(worker))]);
    const dashboard = JSON.parse(readFileSync('deploy/grafana/provd.json', 'utf8')) as {
      panels: { title: string; targets?: { expr: string }[] }[];
    };
    const exprs = dashboard.panels.flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({ title: panel.title, expr: target.expr })),
    );
    expect(exprs.length).toBeGreaterThan(5);
    for (const { title, expr } of exprs) {
      const names = metricNamesIn(expr);
      expect(names.length, `${title}: ${expr}`).toBeGreaterThan(0);
      for (const name of names) expect(exposed.has(name), `${title}: ${name} in ${expr}`).toBe(true);
    }
    // The check can fail: a misspelt metric is caught.
    expect(
      metricNamesIn('sum(rate(provd_renderz_total{kind="x"}[5m])) by (kind)').every((name) => exposed.has(name)),
    ).toBe(false);
  });
});
