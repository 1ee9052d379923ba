import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../helpers/api.js';
import {
  fetchWithDigest,
  phoneFixture,
  putArtifact,
  seedDevice,
  startPhoneProcess,
  type PhoneFixture,
  type PhoneProcess,
} from './support.js';

/*
 * Names the phone server answers with a file stored under another name: a Poly phone's
 * `<mac>-directory.xml` (after device authentication) with its tenant's shared Poly directory,
 * and Grandstream's `<folder>/phonebook.xml` with the book's grandstream variant.
 */

let fixture: PhoneFixture;
let phone: PhoneProcess;
const XML = 'text/xml; charset=utf-8';

beforeAll(async () => {
  fixture = await phoneFixture({ PROVD_PHONE_BAN_THRESHOLD: '100000' });
  phone = await startPhoneProcess(fixture.ctx);
});

afterAll(async () => {
  await phone?.close();
  await fixture?.close();
});

/** A tenant made after the phone process started, once the process's tenant cache knows it. */
async function newTenant(prefix: string) {
  const seeded = await seedTenant(fixture.ctx, `${prefix}${randomBytes(3).toString('hex')}`);
  await phone.server.tenants.refresh();
  return seeded;
}

async function directoryToken(tenantId: string): Promise<string> {
  return (
    await fixture.sql<{ directory_token: string }>(`select directory_token from tenants where id = ?`, [tenantId])
  )[0]!.directory_token;
}

/** A rendered internal-directory variant, stored as the render worker stores it. */
async function putDirectory(tenantId: string, token: string, format: string, body: string): Promise<string> {
  const [target] = await fixture.sql<{ id: string }>(
    `insert into render_targets (target_key, tenant_id, kind, ref_id, format, desired_gen, rendered_gen, state, updated_at)
     values (?, ?, 'directory', ?, ?, 1, 1, 'ok', now())
     on conflict (target_key) do update set updated_at = now() returning id::text as id`,
    [`directory:${tenantId}:${format}`, tenantId, tenantId, format],
  );
  await putArtifact(fixture, target!.id, `pb/${token}/${format}.xml`, body, XML, false);
  return target!.id;
}

describe('Poly <mac>-directory.xml', () => {
  it("serves each device its own tenant's directory, with ETag and 304, and never without credentials", async () => {
    const other = await newTenant('other');
    const mine = await seedDevice(fixture, { mac: '0004f2dd0001', vendor: 'poly', model: 'VVX450' });
    const theirs = await seedDevice(fixture, {
      mac: '0004f2dd0002',
      vendor: 'poly',
      model: 'VVX450',
      tenantId: other.tenant.id,
    });
    await putDirectory(
      fixture.tenantId,
      await directoryToken(fixture.tenantId),
      'poly',
      '<directory>mine</directory>\n',
    );
    await putDirectory(
      other.tenant.id,
      await directoryToken(other.tenant.id),
      'poly',
      '<directory>theirs</directory>\n',
    );

    const first = await fetchWithDigest(phone.app, '/0004f2dd0001-directory.xml', {
      username: mine.mac,
      secret: mine.secret,
    });
    expect(first.statusCode).toBe(200);
    expect(first.body).toBe('<directory>mine</directory>\n');
    expect(first.headers['content-type']).toBe(XML);
    const again = await fetchWithDigest(
      phone.app,
      '/0004F2DD0001-directory.xml',
      { username: mine.mac, secret: mine.secret },
      { headers: { 'if-none-match': String(first.headers.etag) } },
    );
    expect(again.statusCode).toBe(304);
    expect(
      (await fetchWithDigest(phone.app, '/0004f2dd0002-directory.xml', { username: theirs.mac, secret: theirs.secret }))
        .body,
    ).toBe('<directory>theirs</directory>\n');

    // Another device's secret, or none, gets the same 401 as any device file.
    expect(
      (await fetchWithDigest(phone.app, '/0004f2dd0002-directory.xml', { username: theirs.mac, secret: mine.secret }))
        .statusCode,
    ).toBe(401);
    expect(
      (await phone.app.inject({ url: '/0004f2dd0001-directory.xml', remoteAddress: '192.0.2.20' })).statusCode,
    ).toBe(401);
    // Poly's fallback name is not a device and not a common file we have.
    expect(
      (await phone.app.inject({ url: '/000000000000-directory.xml', remoteAddress: '192.0.2.20' })).statusCode,
    ).toBe(404);
  });

  it('is 404 while the directory has no Poly variant yet', async () => {
    const other = await newTenant('empty');
    const device = await seedDevice(fixture, { mac: '0004f2dd0003', vendor: 'poly', tenantId: other.tenant.id });
    expect(
      (await fetchWithDigest(phone.app, '/0004f2dd0003-directory.xml', { username: device.mac, secret: device.secret }))
        .statusCode,
    ).toBe(404);
  });

  it('follows a rotated directory token', async () => {
    const other = await newTenant('rot');
    const device = await seedDevice(fixture, { mac: '0004f2dd0004', vendor: 'poly', tenantId: other.tenant.id });
    await putDirectory(
      other.tenant.id,
      await directoryToken(other.tenant.id),
      'poly',
      '<directory>old token</directory>\n',
    );
    const fetch = () =>
      fetchWithDigest(phone.app, '/0004f2dd0004-directory.xml', { username: device.mac, secret: device.secret });
    expect((await fetch()).body).toBe('<directory>old token</directory>\n');

    const rotated = `rotated${randomBytes(16).toString('hex')}`;
    await fixture.sql(`update tenants set directory_token = ? where id = ?`, [rotated, other.tenant.id]);
    await putDirectory(other.tenant.id, rotated, 'poly', '<directory>new token</directory>\n');
    await expect
      .poll(async () => (await fetch()).body, { timeout: 5000, interval: 50 })
      .toBe('<directory>new token</directory>\n');
  });

  it("does not count as a fetch of the device's own files (sync state)", async () => {
    const device = await seedDevice(fixture, { mac: '0004f2dd0005', vendor: 'poly' });
    await putArtifact(fixture, device.targetId, '0004f2dd0005/0004f2dd0005.cfg', '<master/>\n', XML, false);
    expect(
      (await fetchWithDigest(phone.app, '/0004f2dd0005-directory.xml', { username: device.mac, secret: device.secret }))
        .statusCode,
    ).toBe(200);
    expect(
      (await fetchWithDigest(phone.app, '/0004f2dd0005.cfg', { username: device.mac, secret: device.secret }))
        .statusCode,
    ).toBe(200);
    await phone.server.recorder.flush();
    const rows = await fixture.sql<{ serve_path: string }>(
      `select serve_path from device_fetches where device_id = ?`,
      [device.id],
    );
    expect(rows.map((row) => row.serve_path)).toEqual(['0004f2dd0005/0004f2dd0005.cfg']);
  });
});

describe('Grandstream phonebook.xml', () => {
  it('is the grandstream variant of the token, under any prefix and in any case', async () => {
    const token = await directoryToken(fixture.tenantId);
    await putDirectory(fixture.tenantId, token, 'grandstream', '<AddressBook>gs</AddressBook>\n');
    for (const path of [
      `/pb/${token}/phonebook.xml`,
      `/pb/${token}/PhoneBook.XML`,
      `/t/${fixture.tenantSlug}/pb/${token}/phonebook.xml`,
    ]) {
      const response = await phone.app.inject({ url: path, remoteAddress: '192.0.2.21' });
      expect(response.statusCode, path).toBe(200);
      expect(response.body).toBe('<AddressBook>gs</AddressBook>\n');
    }
    expect(
      (await phone.app.inject({ url: `/pb/${token}x/phonebook.xml`, remoteAddress: '192.0.2.21' })).statusCode,
    ).toBe(404);
  });
});
