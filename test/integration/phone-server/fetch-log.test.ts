import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPhoneApp } from '#src/app/phone-app.js';
import { closeDeps, createDeps } from '#src/app/deps.js';
import type { Config } from '#src/config/config.js';
import { loadConfig } from '#src/config/config.js';
import { createLogger } from '#src/logger/logger.js';
import { PhoneServer } from '#src/modules/phone/server/phone-server.js';
import {
  FAST,
  fetchWithDigest,
  phoneFixture,
  putArtifact,
  seedDevice,
  type PhoneFixture,
  type SeededDevice,
} from './support.js';

let fixture: PhoneFixture;
let device: SeededDevice;
const UA = 'Yealink SIP-T46U 108.86.0.20 00:15:65:aa:bb:01';

beforeAll(async () => {
  fixture = await phoneFixture({ PROVD_PHONE_BAN_THRESHOLD: '100000' });
  device = await seedDevice(fixture, { mac: '001565aabb01', vendor: 'yealink', model: 'T46U' });
  await putArtifact(fixture, device.targetId, `${device.mac}/${device.mac}.cfg`, '#!version:1.0.0.1\n');
});

afterAll(async () => {
  await fixture?.close();
});

/** A real phone server on the shared database, its log captured; `env` as PROVD_ variables. */
let lastMetrics = '';

async function fetchAndCapture(env: Record<string, string>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  // The configuration as the one schema reads it from the environment.
  const overrides = loadConfig({ PROVD_DATABASE_URL: 'postgresql://x/y', ...env });
  const config: Config = {
    ...fixture.ctx.config,
    fetchLogLevel: overrides.fetchLogLevel,
    fetchLogSample: overrides.fetchLogSample,
  };
  const deps = await createDeps(config, createLogger(config.logLevel, 'phone-log', sink), 'phone-log');
  const server = new PhoneServer(deps, FAST);
  const app = await buildPhoneApp(deps, { server });
  try {
    await app.ready();
    await server.start();
    const credentials = { username: device.mac, secret: device.secret };
    // Twice: the first from the database, the second from the cache (the hijacked hot path).
    for (let i = 0; i < 2; i++)
      expect(
        (await fetchWithDigest(app, `/${device.mac}.cfg`, credentials, { ip: '192.0.2.77', userAgent: UA })).statusCode,
      ).toBe(200);
    expect(
      (await app.inject({ method: 'GET', url: '/y000000000066.cfg', remoteAddress: '192.0.2.77' })).statusCode,
    ).toBe(200);
    lastMetrics = await deps.metrics.registry.metrics();
  } finally {
    await app.close();
    await server.stop();
    await closeDeps(deps);
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'phone fetch');
}

describe('successful phone fetches in the log', () => {
  it('are written at PROVD_FETCH_LOG_LEVEL with the MAC, file, answer, address and User-Agent, never a secret', async () => {
    const lines = await fetchAndCapture({ PROVD_FETCH_LOG_LEVEL: 'info' });
    const device = lines.filter((line) => line.kind === 'device');
    expect(device).toHaveLength(2);
    for (const line of device) {
      expect(line).toMatchObject({
        level: 30,
        kind: 'device',
        mac: '001565aabb01',
        file: '001565aabb01.cfg',
        status: 200,
        ip: '192.0.2.77',
        userAgent: UA,
      });
    }
    expect(lines.filter((line) => line.kind === 'common')).toHaveLength(1);
    // Only successes: the Digest challenge (401) before each device fetch is not a fetch line.
    expect(lines.every((line) => (line.status as number) < 400)).toBe(true);
    expect(JSON.stringify(lines)).not.toContain('canary-secret');
  });

  it('each answer is counted once, the cached (hijacked) one included', () => {
    expect(lastMetrics).toMatch(/provd_phone_fetches_total\{kind="device",answer="200"[^}]*\} 2\n/);
    expect(lastMetrics).toMatch(/provd_phone_fetches_total\{kind="device",answer="401"[^}]*\} 2\n/);
    expect(lastMetrics).toMatch(/provd_phone_fetches_total\{kind="common",answer="200"[^}]*\} 1\n/);
    // Two challenges, two device files and one common file: five phone requests, not six.
    expect(lastMetrics).toMatch(/provd_http_requests_total\{server="phone",route="\/\*",status="2xx"[^}]*\} 3\n/);
  });

  it('are not written at the default level (debug) when the log level is info', async () => {
    expect(await fetchAndCapture({})).toEqual([]);
  });

  it('are sampled by PROVD_FETCH_LOG_SAMPLE (0 writes none)', async () => {
    expect(await fetchAndCapture({ PROVD_FETCH_LOG_LEVEL: 'info', PROVD_FETCH_LOG_SAMPLE: '0' })).toEqual([]);
  });
});
