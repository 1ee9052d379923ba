import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  digestAuthorization,
  fetchWithDigest,
  phoneFixture,
  putArtifact,
  seedDevice,
  sha256,
  startPhoneProcess,
  type PhoneFixture,
  type PhoneProcess,
  type SeededDevice,
} from './support.js';

let fixture: PhoneFixture;
let phone: PhoneProcess;
let device: SeededDevice;
let firmwareRoot: string;
let outside: string;
let port: number;
const BIG = `# big\n${'account.1.line = value\n'.repeat(400)}`;

beforeAll(async () => {
  firmwareRoot = await mkdtemp(join(tmpdir(), 'provd-fw-'));
  outside = await mkdtemp(join(tmpdir(), 'provd-outside-'));
  await mkdir(join(firmwareRoot, 'yealink'));
  await writeFile(join(firmwareRoot, 'yealink', 'T46S-66.86.0.15.rom'), Buffer.alloc(70_000, 7));
  await writeFile(join(outside, 'secret.txt'), 'outside the firmware folder');
  await symlink(join(outside, 'secret.txt'), join(firmwareRoot, 'escape.rom'));
  await symlink(outside, join(firmwareRoot, 'escapedir'));
  fixture = await phoneFixture({ PROVD_FIRMWARE_DIR: firmwareRoot, PROVD_PHONE_BAN_THRESHOLD: '100000' });
  phone = await startPhoneProcess(fixture.ctx);
  device = await seedDevice(fixture, { mac: '001565d00d01', vendor: 'yealink', model: 'T46S' });
  await putArtifact(fixture, device.targetId, '001565d00d01/001565d00d01.cfg', BIG);
  await phone.app.listen({ host: '127.0.0.1', port: 0 });
  port = (phone.app.server.address() as { port: number }).port;
});

afterAll(async () => {
  await phone?.close();
  await fixture?.close();
  await rm(firmwareRoot, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

/** Sends the request line byte for byte (no client-side URL normalisation) and returns the status. */
function rawStatus(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const match = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (match) resolve(Number(match[1]));
      else reject(new Error(`no status line in ${JSON.stringify(data.slice(0, 80))}`));
    });
    socket.write(Buffer.from(`GET ${path} HTTP/1.1\r\nHost: phone\r\nConnection: close\r\n\r\n`, 'latin1'));
  });
}

const HOSTILE = [
  '/../../etc/passwd',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/%252e%252e/etc/passwd',
  '/..%2fetc%2fpasswd',
  '/%c0%ae%c0%ae/etc/passwd',
  '/firmware/../../etc/passwd',
  '/firmware/%2e%2e/%2e%2e/etc/passwd',
  '/firmware/escape.rom',
  '/firmware/escapedir/secret.txt',
  '/firmware/yealink',
  '/001565d00d01.cfg%00.txt',
  '/001565d00d01.cfg\\..\\x',
  '/t/../001565d00d01.cfg',
  '/pb/../../etc/passwd',
  '/01:15:65:d0:0d:01.cfg',
  '/ffffffffffff.cfg',
  '/010000000000.cfg',
  '/001565D00D01.CFG.bak',
  '/SEP001565d00d01.cnf.xml.gz',
  `/${'a'.repeat(65536)}.cfg`,
  `/firmware/${'b/'.repeat(300)}x.rom`,
  '/%',
  '/%zz',
  '//',
  '/',
];

describe('path fuzz: only 400 or 404, never a 5xx, never bytes from outside', () => {
  it.each(HOSTILE.map((path) => [path.length > 80 ? `${path.slice(0, 40)}…(${path.length})` : path, path]))(
    '%s',
    async (_label, path) => {
      // The injector normalises dot segments like a browser would (`/t/../x.cfg` → `/x.cfg`): a
      // challenge is then the right answer; the raw-socket test below sends the bytes unchanged.
      const response = await phone.app.inject({ url: path, remoteAddress: '198.51.100.3' });
      expect([400, 401, 404]).toContain(response.statusCode);
      expect(response.body).not.toContain('outside the firmware folder');
      expect(response.body).not.toContain('root:');
    },
  );

  it('over a real socket too (oversized request lines included)', async () => {
    for (const path of [...HOSTILE, '/a\u0000b.cfg', `/${'c'.repeat(70_000)}`, '/\u00e9.cfg']) {
      const status = await rawStatus(path);
      expect([400, 404], path.slice(0, 60)).toContain(status);
    }
  });

  it('random paths (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^\/[\x00-\x7f%./\\a-f0-9]{0,120}$/), async (path) => {
        const status = await rawStatus(path);
        // 401 only when the random path happens to be a well-formed device file name.
        return [400, 401, 404].includes(status);
      }),
      { numRuns: 200 },
    );
  });
});

describe('responses', () => {
  const url = '/001565d00d01.cfg';
  const etag = `"${sha256(BIG)}"`;

  it('sends a strong ETag and answers a matching If-None-Match with 304 and no body', async () => {
    const full = await fetchWithDigest(phone.app, url, { username: device.mac, secret: device.secret });
    expect(full.statusCode).toBe(200);
    expect(full.headers.etag).toBe(etag);
    const notModified = await fetchWithDigest(
      phone.app,
      url,
      { username: device.mac, secret: device.secret },
      { headers: { 'if-none-match': etag } },
    );
    expect(notModified.statusCode).toBe(304);
    expect(notModified.rawPayload.length).toBe(0);
    expect(notModified.headers.etag).toBe(etag);
    const changed = await fetchWithDigest(
      phone.app,
      url,
      { username: device.mac, secret: device.secret },
      { headers: { 'if-none-match': '"0000"' } },
    );
    expect(changed.statusCode).toBe(200);
  });

  it('answers 304 from the hash alone when the file is not cached (no body read)', async () => {
    const other = await startPhoneProcess(fixture.ctx, 'phone-cold');
    try {
      const response = await fetchWithDigest(
        other.app,
        url,
        { username: device.mac, secret: device.secret },
        { headers: { 'if-none-match': `W/${etag}` } },
      );
      expect(response.statusCode).toBe(304);
      expect(other.server.artifacts.peek('001565d00d01/001565d00d01.cfg')).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('never answers 304 before authentication', async () => {
    const response = await phone.app.inject({ url, remoteAddress: '198.51.100.9', headers: { 'if-none-match': etag } });
    expect(response.statusCode).toBe(401);
    expect(response.headers.etag).toBeUndefined();
  });

  it('gzips when the phone accepts it, and only then', async () => {
    const zipped = await fetchWithDigest(
      phone.app,
      url,
      { username: device.mac, secret: device.secret },
      { headers: { 'accept-encoding': 'gzip, deflate' } },
    );
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('Accept-Encoding');
    expect(zipped.rawPayload.length).toBeLessThan(BIG.length);
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(BIG);
    const refused = await fetchWithDigest(
      phone.app,
      url,
      { username: device.mac, secret: device.secret },
      { headers: { 'accept-encoding': 'gzip;q=0, identity' } },
    );
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body).toBe(BIG);
  });

  it('gives the gzip form its own strong ETag and matches If-None-Match against the form served', async () => {
    const credentials = { username: device.mac, secret: device.secret };
    const gzipEtag = `"${sha256(BIG)}-gzip"`;
    const gzip = { 'accept-encoding': 'gzip' };
    // Warm (cached bytes), then a cold process (hash only, then bytes loaded).
    const cold = await startPhoneProcess(fixture.ctx, 'phone-cold-gzip');
    try {
      for (const app of [phone.app, cold.app]) {
        const zipped = await fetchWithDigest(app, url, credentials, { headers: gzip });
        expect(zipped.headers['content-encoding']).toBe('gzip');
        expect(zipped.headers.etag).toBe(gzipEtag);
        const plain = await fetchWithDigest(app, url, credentials);
        expect(plain.headers.etag).toBe(etag);
        expect(plain.headers.vary).toBe('Accept-Encoding');
        // Each form's ETag revalidates that form only.
        const zipped304 = await fetchWithDigest(app, url, credentials, {
          headers: { ...gzip, 'if-none-match': gzipEtag },
        });
        expect(zipped304.statusCode).toBe(304);
        expect(zipped304.headers.etag).toBe(gzipEtag);
        expect(zipped304.headers.vary).toBe('Accept-Encoding');
        const plain304 = await fetchWithDigest(app, url, credentials, { headers: { 'if-none-match': etag } });
        expect(plain304.statusCode).toBe(304);
        expect(plain304.headers.etag).toBe(etag);
        expect(plain304.headers.vary).toBe('Accept-Encoding');
        const switchedToGzip = await fetchWithDigest(app, url, credentials, {
          headers: { ...gzip, 'if-none-match': etag },
        });
        expect(switchedToGzip.statusCode).toBe(200);
        expect(switchedToGzip.headers.etag).toBe(gzipEtag);
        expect(gunzipSync(switchedToGzip.rawPayload).toString()).toBe(BIG);
        const switchedToPlain = await fetchWithDigest(app, url, credentials, {
          headers: { 'if-none-match': gzipEtag },
        });
        expect(switchedToPlain.statusCode).toBe(200);
        expect(switchedToPlain.body).toBe(BIG);
      }
      // A cold process answering 304 to the gzip form from the hash alone.
      const colder = await startPhoneProcess(fixture.ctx, 'phone-colder-gzip');
      try {
        const response = await fetchWithDigest(colder.app, url, credentials, {
          headers: { ...gzip, 'if-none-match': gzipEtag },
        });
        expect(response.statusCode).toBe(304);
        expect(response.headers.etag).toBe(gzipEtag);
        expect(colder.server.artifacts.peek('001565d00d01/001565d00d01.cfg')).toBeUndefined();
      } finally {
        await colder.close();
      }
    } finally {
      await cold.close();
    }
  });

  it('gives the gzip form its own ETag on phonebooks too; a small common file has one form only', async () => {
    const token = 'Gz8mX2vN4bR7tY1uW3eP5sA9dF6gH0jK';
    const hash = await putArtifact(fixture, device.targetId, `pb/${token}/yealink.xml`, BIG, 'text/xml; charset=utf-8');
    for (const [path, identityEtag] of [[`/pb/${token}/yealink.xml`, `"${hash}"`]] as const) {
      const zipped = await phone.app.inject({ url: path, headers: { 'accept-encoding': 'gzip' } });
      expect(zipped.headers['content-encoding'], path).toBe('gzip');
      expect(zipped.headers.etag, path).toBe(identityEtag.replace(/"$/, '-gzip"'));
      expect(zipped.headers.vary, path).toBe('Accept-Encoding');
      const plain = await phone.app.inject({ url: path });
      expect(plain.headers.etag, path).toBe(identityEtag);
      expect(plain.headers.vary, path).toBe('Accept-Encoding');
      const zipped304 = await phone.app.inject({
        url: path,
        headers: { 'accept-encoding': 'gzip', 'if-none-match': String(zipped.headers.etag) },
      });
      expect(zipped304.statusCode, path).toBe(304);
      expect((await phone.app.inject({ url: path, headers: { 'if-none-match': identityEtag } })).statusCode).toBe(304);
      // The other form's ETag does not revalidate this one.
      expect(
        (await phone.app.inject({ url: path, headers: { 'if-none-match': String(zipped.headers.etag) } })).statusCode,
      ).toBe(200);
    }
    // Below the gzip threshold there is no gzip form: identity with its ETag, whatever the phone accepts.
    const common = await phone.app.inject({ url: '/y000000000066.cfg', headers: { 'accept-encoding': 'gzip' } });
    expect(common.headers['content-encoding']).toBeUndefined();
    expect(String(common.headers.etag)).toMatch(/^"[0-9a-f]{64}"$/);
  });

  it('answers HEAD with the headers of GET and no body (Digest over HEAD)', async () => {
    const head = await fetchWithDigest(
      phone.app,
      url,
      { username: device.mac, secret: device.secret },
      { method: 'HEAD' },
    );
    expect(head.statusCode).toBe(200);
    expect(head.rawPayload.length).toBe(0);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(BIG)));
    expect(head.headers.etag).toBe(etag);
    const common = await phone.app.inject({ method: 'HEAD', url: '/y000000000066.cfg' });
    expect(common.statusCode).toBe(200);
    expect(common.rawPayload.length).toBe(0);
  });

  it('streams firmware from the folder, with ETag, HEAD and 304', async () => {
    const response = await phone.app.inject({
      url: '/firmware/yealink/T46S-66.86.0.15.rom',
      remoteAddress: '198.51.100.8',
    });
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.equals(Buffer.alloc(70_000, 7))).toBe(true);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    const head = await phone.app.inject({ method: 'HEAD', url: '/firmware/yealink/T46S-66.86.0.15.rom' });
    expect(head.headers['content-length']).toBe('70000');
    expect(head.rawPayload.length).toBe(0);
    const again = await phone.app.inject({
      url: '/firmware/yealink/T46S-66.86.0.15.rom',
      headers: { 'if-none-match': String(response.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect((await phone.app.inject({ url: '/t/whatever/firmware/yealink/none.rom' })).statusCode).toBe(404);
  });

  it('error answers are fixed texts that echo nothing from the request', async () => {
    const token = 'Zq8mX2vN4bR7tY1uW3eP5sA9dF6gH0jK';
    const miss = await phone.app.inject({ url: `/pb/${token}/yealink.xml`, remoteAddress: '198.51.100.11' });
    expect(miss.statusCode).toBe(404);
    expect(miss.body).toBe('Not Found\n');
    const wrongMethod = await phone.app.inject({ method: 'POST', url: `/pb/${token}/yealink.xml`, payload: 'x' });
    expect(wrongMethod.statusCode).toBe(404);
    expect(wrongMethod.body).not.toContain(token);
    expect(fixture.ctx.logs.join('')).not.toContain(token);
    const wrong = digestAuthorization(
      (await phone.app.inject({ url, remoteAddress: '198.51.100.12' })).headers['www-authenticate'],
      { username: device.mac, secret: 'x', uri: url },
    );
    const refused = await phone.app.inject({ url, remoteAddress: '198.51.100.12', headers: { authorization: wrong } });
    expect(refused.body).toBe('Unauthorized\n');
  });
});
