import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { Agent, request, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactEvents } from '#src/modules/pipeline/artifact-events.js';
import { freePort } from '../../../scripts/stack/ports.js';
import {
  digestAuthorization,
  phoneFixture,
  putArtifact,
  seedDevice,
  type PhoneFixture,
  type SeededDevice,
} from './support.js';
import { createTestPki, type TestPki } from './tls-certificates.js';

/**
 * src/main.ts with PROVD_PHONE_PROCESSES=2, as real processes: the primary (admin API) and two
 * phone-only cluster workers sharing the phone ports, against the test Postgres and Redis.
 */

let fixture: PhoneFixture;
let pki: TestPki;
let device: SeededDevice;
let events: ArtifactEvents;
let main: ChildProcess;
let exited: Promise<number | null>;
const output: string[] = [];
const ports = { admin: 0, phone: 0, tls: 0 };
const servePath = '001565fa0001/001565fa0001.cfg';
const uri = '/001565fa0001.cfg';

interface Answer {
  status: number;
  body: string;
  challenges: string[];
}

function get(path: string, headers: Record<string, string>, agent: Agent | false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: ports.phone, path, headers, agent }, (res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, challenges: res.headersDistinct['www-authenticate'] ?? [] }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const isStale = (answer: Answer) =>
  answer.status === 401 && answer.challenges.some((challenge) => /stale=true/i.test(challenge));

/** A phone booting on its own fresh keep-alive connection: challenge, Digest, and one retry if told stale. */
async function phoneFetch(target: SeededDevice = device): Promise<Answer & { staleRetries: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    let answer = await get(uri, {}, agent);
    let staleRetries = 0;
    for (let attempt = 0; attempt < 2 && answer.status === 401; attempt++) {
      if (attempt > 0 && !isStale(answer)) break;
      if (attempt > 0) staleRetries += 1;
      answer = await get(
        uri,
        { authorization: digestAuthorization(answer.challenges, { username: target.mac, secret: target.secret, uri }) },
        agent,
      );
    }
    return { ...answer, staleRetries };
  } finally {
    agent.destroy();
  }
}

const nodeBinary = realpathSync(process.execPath);
function isNode(pid: number): boolean {
  try {
    return realpathSync(`/proc/${pid}/exe`) === nodeBinary;
  } catch {
    return false;
  }
}

function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
        // Node children only: tsx may have started an esbuild service process beside the workers.
        return ppid === pid && state !== 'Z' && isNode(Number(entry)) ? [Number(entry)] : [];
      } catch {
        return [];
      }
    });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== 'Z';
  } catch {
    return false;
  }
}

async function readiness(): Promise<{ status: number; body: { checks?: { phone?: { ok: boolean } } } }> {
  const response = await fetch(`http://127.0.0.1:${ports.admin}/readyz`);
  return { status: response.status, body: (await response.json()) as { checks?: { phone?: { ok: boolean } } } };
}

beforeAll(async () => {
  pki = createTestPki();
  fixture = await phoneFixture({ PROVD_PHONE_BAN_THRESHOLD: '100000' });
  events = new ArtifactEvents(fixture.ctx.deps.redis, fixture.ctx.config.queuePrefix);
  device = await seedDevice(fixture, { mac: '001565fa0001', vendor: 'yealink' });
  await putArtifact(fixture, device.targetId, servePath, 'version 1\n');
  [ports.admin, ports.phone, ports.tls] = [await freePort(), await freePort(), await freePort()];
  const config = fixture.ctx.config;
  const env = {
    PATH: process.env.PATH,
    PROVD_DATABASE_URL: config.databaseUrl!,
    PROVD_REDIS_URL: config.redisUrl!,
    PROVD_QUEUE_PREFIX: config.queuePrefix,
    PROVD_DIGEST_NONCE_KEY: config.digestNonceKey!,
    PROVD_ADMIN_PORT: String(ports.admin),
    PROVD_PHONE_PORT: String(ports.phone),
    PROVD_PHONE_TLS_PORT: String(ports.tls),
    PROVD_PHONE_TLS_CERT: pki.serverCert,
    PROVD_PHONE_TLS_KEY: pki.serverKey,
    PROVD_PHONE_TLS_CA: pki.caCert,
    PROVD_PHONE_BAN_THRESHOLD: '100000',
    PROVD_DB_POOL_MAX: '3',
    PROVD_LOG_LEVEL: 'info',
    PROVD_PHONE_PROCESSES: '2',
  };
  // Node with the tsx loader directly (as the benchmarks do): the phone processes are then the
  // spawned process's own children.
  main = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  main.stdout!.on('data', (chunk: Buffer) => output.push(String(chunk)));
  main.stderr!.on('data', (chunk: Buffer) => output.push(String(chunk)));
  exited = new Promise((resolve) => main.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while ((await readiness().catch(() => undefined))?.status !== 200) {
    if (main.exitCode !== null) throw new Error(`src/main.ts exited during start: ${output.join('')}`);
    if (Date.now() > deadline) throw new Error(`not ready after 60 s: ${output.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
});

afterAll(async () => {
  if (main && main.exitCode === null) {
    main.kill('SIGKILL');
    for (const pid of childPids(main.pid!)) process.kill(pid, 'SIGKILL');
  }
  await fixture?.close();
  if (pki) rmSync(pki.dir, { recursive: true, force: true });
});

describe('PROVD_PHONE_PROCESSES=2', () => {
  it('runs two phone processes beside the primary; /readyz reports them', async () => {
    expect(childPids(main.pid!)).toHaveLength(2);
    const ready = await readiness();
    expect(ready.body.checks?.phone).toEqual({ ok: true });
    // The primary does not serve phones itself: the admin port has no phone routes.
    expect((await fetch(`http://127.0.0.1:${ports.admin}${uri}`)).status).toBe(404);
  });

  it('every phone on a fresh connection gets its file, after at most one stale retry', async () => {
    for (let phone = 0; phone < 8; phone++) {
      const answer = await phoneFetch();
      expect(answer).toMatchObject({ status: 200, body: 'version 1\n' });
      expect(answer.staleRetries).toBeLessThanOrEqual(1);
    }
  });

  it('a nonce is accepted by the process that claimed it only; the other answers stale=true', async () => {
    const challenge = await get(uri, {}, false);
    const answers: Answer[] = [];
    // Each request on its own connection: round-robin hands consecutive connections to alternate processes.
    for (let nc = 1; nc <= 6; nc++) {
      const authorization = digestAuthorization(challenge.challenges, {
        username: device.mac,
        secret: device.secret,
        uri,
        nc: nc.toString(16).padStart(8, '0'),
      });
      answers.push(await get(uri, { authorization }, false));
    }
    expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThan(0);
    expect(answers.filter(isStale).length).toBeGreaterThan(0);
    expect(answers.every((answer) => answer.status === 200 || isStale(answer))).toBe(true);
  });

  it('a change becomes visible on every process', async () => {
    await putArtifact(fixture, device.targetId, servePath, 'version 2\n');
    await events.publishChanged([device.targetId]);
    // Six consecutive fresh connections reach both processes; all must serve the new bytes.
    await expect
      .poll(
        async () => (await Promise.all(Array.from({ length: 6 }, () => phoneFetch()))).map((answer) => answer.body),
        { timeout: 10_000, interval: 100 },
      )
      .toEqual(Array.from({ length: 6 }, () => 'version 2\n'));
  });

  it('serves the HTTPS listener with client certificates from the phone processes', async () => {
    const client = pki.client('001565fa0001');
    const tlsGet = () =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpsRequest(
          { host: '127.0.0.1', port: ports.tls, path: uri, ca: readFileSync(pki.caCert), ...client, agent: false },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    for (let i = 0; i < 4; i++) expect(await tlsGet()).toEqual({ status: 200, body: 'version 2\n' });
  });

  it("/metrics on the admin port counts the phone processes' requests", async () => {
    const text = await (await fetch(`http://127.0.0.1:${ports.admin}/metrics`)).text();
    const served = text
      .split('\n')
      .filter(
        (line) =>
          line.startsWith('provd_http_requests_total{') &&
          line.includes('server="phone"') &&
          line.includes('status="2xx"'),
      )
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    // 8 + 6 (at least) + 4 successful fetches above, counted in two processes.
    expect(served).toBeGreaterThanOrEqual(18);
    expect(text).toMatch(/provd_http_requests_total\{[^}]*server="admin"/);
  });

  it('replaces a phone process killed with SIGKILL, and serving resumes', async () => {
    const before = childPids(main.pid!);
    expect(before).toHaveLength(2);
    process.kill(before[0]!, 'SIGKILL');
    await expect
      .poll(() => output.join(''), { timeout: 10_000 })
      .toMatch(/phone process exited unexpectedly; restarting it/);
    await expect
      .poll(
        async () => {
          const now = childPids(main.pid!);
          return now.length === 2 && !now.includes(before[0]!) && (await readiness()).status === 200;
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe(true);
    for (let phone = 0; phone < 6; phone++)
      expect(await phoneFetch()).toMatchObject({ status: 200, body: 'version 2\n' });
  });

  it('SIGTERM stops the phone processes and exits 0', async () => {
    const workers = childPids(main.pid!);
    expect(workers).toHaveLength(2);
    main.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of workers) expect(alive(pid)).toBe(false);
    await expect(get(uri, {}, false)).rejects.toThrow();
  });
});
