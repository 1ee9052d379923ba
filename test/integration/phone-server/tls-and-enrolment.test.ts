import { readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPhoneApp } from '#src/app/phone-app.js';
import { macFromCertificateNames, phoneTlsOptions } from '#src/modules/phone/server/client-cert.js';
import { countRows } from '../../helpers/api.js';
import {
  phoneFixture,
  putArtifact,
  seedDevice,
  startPhoneProcess,
  type PhoneFixture,
  type PhoneProcess,
  type SeededDevice,
} from './support.js';
import { createTestPki, type TestPki } from './tls-certificates.js';

let pki: TestPki;
let fixture: PhoneFixture;
let phone: PhoneProcess;
let tlsApp: Awaited<ReturnType<typeof buildPhoneApp>>;
let tlsPort: number;
let device: SeededDevice;

beforeAll(async () => {
  pki = createTestPki();
  fixture = await phoneFixture({
    PROVD_PHONE_TLS_CERT: pki.serverCert,
    PROVD_PHONE_TLS_KEY: pki.serverKey,
    PROVD_PHONE_TLS_CA: pki.caCert,
    PROVD_PHONE_BAN_THRESHOLD: '100000',
    PROVD_AUTO_ENROL: 'true',
    PROVD_AUTO_ENROL_QUOTA: '2',
  });
  phone = await startPhoneProcess(fixture.ctx);
  tlsApp = await buildPhoneApp(phone.deps, { server: phone.server, https: phoneTlsOptions(fixture.ctx.config) });
  await tlsApp.listen({ host: '127.0.0.1', port: 0 });
  tlsPort = (tlsApp.server.address() as { port: number }).port;
  device = await seedDevice(fixture, { mac: '001565ab0001', vendor: 'yealink' });
  await putArtifact(fixture, device.targetId, '001565ab0001/001565ab0001.cfg', 'over tls\n');
});

afterAll(async () => {
  await tlsApp?.close();
  await phone?.close();
  await fixture?.close();
  if (pki) rmSync(pki.dir, { recursive: true, force: true });
});

function tlsGet(
  path: string,
  options: { authorization?: string; client?: { cert: Buffer; key: Buffer } } = {},
): Promise<{ status: number; body: string; challenges: string[] }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: tlsPort,
        path,
        ca: readFileSync(pki.caCert),
        headers: options.authorization ? { authorization: options.authorization } : {},
        ...(options.client ?? {}),
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => {
          const header = res.headers['www-authenticate'];
          resolve({
            status: res.statusCode ?? 0,
            body,
            challenges: Array.isArray(header) ? header : header ? [header] : [],
          });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('TLS listener', () => {
  it('accepts Basic over TLS and offers it in the challenge', async () => {
    const refused = await tlsGet('/001565ab0001.cfg');
    expect(refused.status).toBe(401);
    expect(refused.challenges.join(', ')).toMatch(/(^|, )Basic realm="provd"/);
    const basic = (secret: string) => `Basic ${Buffer.from(`001565ab0001:${secret}`).toString('base64')}`;
    expect(await tlsGet('/001565ab0001.cfg', { authorization: basic(device.secret) })).toMatchObject({
      status: 200,
      body: 'over tls\n',
    });
    expect((await tlsGet('/001565ab0001.cfg', { authorization: basic('wrong') })).status).toBe(401);
  });

  it('authenticates a client certificate naming the path MAC, and only that MAC', async () => {
    expect(await tlsGet('/001565ab0001.cfg', { client: pki.client('SEP001565AB0001') })).toMatchObject({
      status: 200,
      body: 'over tls\n',
    });
    expect((await tlsGet('/001565ab0001.cfg', { client: pki.client('001565ab0002') })).status).toBe(401);
  });

  it('reads the MAC from CN or SAN, refusing certificates naming two', () => {
    expect(macFromCertificateNames('SEP001565AB0001', undefined)).toBe('001565ab0001');
    expect(macFromCertificateNames('yealink', 'DNS:phone-00:15:65:ab:00:01.example')).toBe('001565ab0001');
    expect(macFromCertificateNames('001565ab0001', 'DNS:001565ab0002.example')).toBeUndefined();
    expect(macFromCertificateNames('provd test CA', undefined)).toBeUndefined();
  });
});

describe('auto-enrolment', () => {
  const ua = (mac: string) => `Yealink SIP-T46S 66.86.0.15 ${mac}`;

  it('creates unknown phones under a tenant prefix as pending (audited), up to the quota, serving them nothing', async () => {
    const macs = ['001565ee0001', '001565ee0002', '001565ee0003'];
    for (const mac of macs) {
      const response = await phone.app.inject({
        url: `/t/${fixture.tenantSlug}/${mac}.cfg`,
        remoteAddress: '192.0.2.60',
        headers: { 'user-agent': ua(mac) },
      });
      expect(response.statusCode).toBe(401);
    }
    await expect
      .poll(() => countRows(fixture.ctx, 'devices', `tenant_id = ? and status = 'pending'`, [fixture.tenantId]), {
        timeout: 5000,
      })
      .toBe(2);
    const created = await fixture.sql<{ mac: string; vendor: string; model: string }>(
      `select mac, vendor, model from devices where status = 'pending' order by mac`,
    );
    expect(created).toEqual([
      { mac: '001565ee0001', vendor: 'yealink', model: 'T46S' },
      { mac: '001565ee0002', vendor: 'yealink', model: 'T46S' },
    ]);
    expect(
      await countRows(
        fixture.ctx,
        'audit_entries',
        `entity_type = 'Device' and action = 'create' and actor_name = 'phone server auto-enrolment'`,
      ),
    ).toBe(2);
    const audit = await fixture.sql<{ after: Record<string, unknown> }>(
      `select after from audit_entries where actor_name = 'phone server auto-enrolment' limit 1`,
    );
    expect(audit[0]!.after.provisioningSecret).toBe('[masked]');
    expect(fixture.ctx.logs.join('')).toContain('auto-enrolment quota reached');
  });

  it('does nothing without a tenant prefix or without a recognised vendor User-Agent', async () => {
    const before = await countRows(fixture.ctx, 'devices');
    await phone.app.inject({
      url: '/001565ee0009.cfg',
      remoteAddress: '192.0.2.61',
      headers: { 'user-agent': ua('001565ee0009') },
    });
    await phone.app.inject({
      url: `/t/${fixture.tenantSlug}/001565ee0010.cfg`,
      remoteAddress: '192.0.2.61',
      headers: { 'user-agent': 'curl/8.0' },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await countRows(fixture.ctx, 'devices')).toBe(before);
  });
});
