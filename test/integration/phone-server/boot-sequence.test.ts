import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commonFileNames,
  deviceFileNames,
  renderCommonFiles,
  type VendorFamily,
} from '#src/modules/render/device/index.js';
import {
  fetchWithDigest,
  phoneFixture,
  putArtifact,
  seedDevice,
  startPhoneProcess,
  type PhoneFixture,
  type PhoneProcess,
} from './support.js';

interface VendorCase {
  vendor: VendorFamily;
  model: string;
  mac: string;
  userAgent: string;
  contentType: string;
}

/** Real User-Agent shapes of each family's provisioning client, with the MAC the path names. */
const VENDORS: VendorCase[] = [
  {
    vendor: 'yealink',
    model: 'T46S',
    mac: '001565aabb01',
    userAgent: 'Yealink SIP-T46S 66.86.0.15 00:15:65:aa:bb:01',
    contentType: 'text/plain; charset=utf-8',
  },
  {
    vendor: 'poly',
    model: 'VVX450',
    mac: '0004f2aabb02',
    userAgent: 'FileTransport PolycomVVX-VVX_450-UA/6.4.6.2578 Type/Application',
    contentType: 'text/xml; charset=utf-8',
  },
  {
    vendor: 'cisco-mpp',
    model: 'CP-8841',
    mac: '00562baabb03',
    userAgent: 'Cisco-CP-8841-3PCC/12.0.7 (00562baabb03)',
    contentType: 'text/xml; charset=utf-8',
  },
  {
    vendor: 'cisco-enterprise',
    model: '8841',
    mac: '00562baabb04',
    userAgent: 'Cisco-CP8841/12.6.1',
    contentType: 'text/xml; charset=utf-8',
  },
  {
    vendor: 'grandstream',
    model: 'GXP2170',
    mac: '000b82aabb05',
    userAgent: 'Grandstream Model HW GXP2170 V1.2A SW 1.0.11.79 DevId 000b82aabb05',
    contentType: 'text/xml; charset=utf-8',
  },
  {
    vendor: 'snom',
    model: 'D785',
    mac: '000413aabb06',
    userAgent:
      'Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 2010.12-00003-gd311851 (Mar 29 2021) 000413AABB06 SIP/2.0)',
    contentType: 'text/xml; charset=utf-8',
  },
  {
    vendor: 'fanvil',
    model: 'X4U',
    mac: '0c383eaabb07',
    userAgent: 'Fanvil X4U 2.12.1 0c383eaabb07',
    contentType: 'text/plain; charset=utf-8',
  },
  {
    vendor: 'gigaset',
    model: 'N870',
    mac: '7c2f80aabb08',
    userAgent: 'Gigaset N870 IP PRO/83.V2.65.0+build.a546b91;7C2F80AABB08',
    contentType: 'text/xml; charset=utf-8',
  },
];

let fixture: PhoneFixture;
let phone: PhoneProcess;

beforeAll(async () => {
  fixture = await phoneFixture();
  phone = await startPhoneProcess(fixture.ctx);
});

afterAll(async () => {
  await phone?.close();
  await fixture?.close();
});

describe('each vendor boot sequence: common file, then the device files after Digest', () => {
  it.each(VENDORS.map((entry, index) => [entry.vendor, entry, index] as const))('%s', async (_name, entry, index) => {
    const ip = `198.51.100.${index + 10}`;
    const device = await seedDevice(fixture, { mac: entry.mac, vendor: entry.vendor, model: entry.model });
    const names = deviceFileNames(entry.vendor, entry.mac, entry.model);
    const bodies = new Map<string, string>();
    for (const name of names) {
      const body = `# ${entry.vendor} ${name}\nsip.password = ${device.secret}-line\n`;
      bodies.set(name, body);
      await putArtifact(fixture, device.targetId, `${entry.mac}/${name.toLowerCase()}`, body, entry.contentType);
    }

    for (const common of commonFileNames(entry.vendor, entry.model)) {
      const response = await phone.app.inject({
        url: `/${common}`,
        remoteAddress: ip,
        headers: { 'user-agent': entry.userAgent },
      });
      expect(response.statusCode, common).toBe(200);
      const expected = renderCommonFiles(entry.vendor, entry.model, {
        provisioningUrl: 'http://prov.example.test',
      }).find((file) => file.name === common)!;
      expect(response.rawPayload.equals(expected.body)).toBe(true);
      expect(response.headers['content-type']).toBe(expected.contentType);
      expect(response.headers.etag).toBe(`"${expected.sha256}"`);
    }

    for (const name of names) {
      const unauthenticated = await phone.app.inject({
        url: `/${name}`,
        remoteAddress: ip,
        headers: { 'user-agent': entry.userAgent },
      });
      expect(unauthenticated.statusCode).toBe(401);
      expect(unauthenticated.body).not.toContain(device.secret);
      const response = await fetchWithDigest(
        phone.app,
        `/${name}`,
        { username: entry.mac, secret: device.secret },
        { ip, userAgent: entry.userAgent },
      );
      expect(response.statusCode, name).toBe(200);
      expect(response.body).toBe(bodies.get(name));
      expect(response.headers['content-type']).toBe(entry.contentType);
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves per-tenant prefixed paths, with common files pointing at the prefix', async () => {
    const device = await seedDevice(fixture, { mac: '001565aabb11', vendor: 'yealink', model: 'T54W' });
    await putArtifact(fixture, device.targetId, '001565aabb11/001565aabb11.cfg', 'prefixed\n');
    const common = await phone.app.inject({
      url: `/t/${fixture.tenantSlug}/y000000000096.cfg`,
      remoteAddress: '198.51.100.40',
    });
    expect(common.statusCode).toBe(200);
    expect(common.body).toContain(`http://prov.example.test/t/${fixture.tenantSlug}`);
    const file = await fetchWithDigest(
      phone.app,
      `/t/${fixture.tenantSlug}/001565AABB11.cfg`,
      { username: '001565aabb11', secret: device.secret },
      { ip: '198.51.100.40' },
    );
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('prefixed\n');
    expect(
      (await phone.app.inject({ url: '/t/no-such-tenant/y000000000096.cfg', remoteAddress: '198.51.100.40' }))
        .statusCode,
    ).toBe(404);
  });

  it('answers 404 for common names no model has', async () => {
    for (const name of ['y000000000001.cfg', 'snomXYZ.htm', 'nothing.cfg', 'cfg.xmlx']) {
      expect((await phone.app.inject({ url: `/${name}`, remoteAddress: '198.51.100.41' })).statusCode, name).toBe(404);
    }
  });

  it('keeps /healthz', async () => {
    const response = await phone.app.inject({ url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });
});
