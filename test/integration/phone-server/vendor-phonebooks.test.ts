import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fanoutRegistry } from '#src/app/fanout.js';
import { rendererRegistry } from '#src/app/renderers.js';
import { createRelay, renderHandlers } from '#src/modules/pipeline/pipeline.js';
import type { OutboxRelay } from '#src/modules/pipeline/relay.js';
import { startWorkers } from '#src/queues/worker-host.js';
import { eventually } from '../../helpers/eventually.js';
import { parseStrict, validateCisco } from '../../unit/render/phonebook/support/xml-check.js';
import { fetchWithDigest, phoneFixture, startPhoneProcess, type PhoneFixture, type PhoneProcess } from './support.js';

/*
 * Every vendor family gets its phonebooks end to end: the directory is changed through the admin
 * API, the real pipeline renders device files and phonebook variants, and each phone follows what
 * its own device file says, through the phone server.
 */

const PHONE_URL = 'http://prov.example.test';
const DEVICES = {
  poly: { mac: '0004f2cc0001', model: 'VVX450' },
  yealink: { mac: '001565cc0002', model: 'T46S' },
  'cisco-mpp': { mac: '00562bcc0003', model: 'CP-8841' },
  grandstream: { mac: '000b82cc0004', model: 'GXP2170' },
  snom: { mac: '000413cc0005', model: 'D785' },
} as const;
type Vendor = keyof typeof DEVICES;

let fixture: PhoneFixture;
let phone: PhoneProcess;
let relay: OutboxRelay;
let workers: Worker[] = [];
const secrets = {} as Record<Vendor, string>;
let directoryToken: string;
let companyToken: string;

const api = (path: string) => `/api/v1/tenants/${fixture.tenantSlug}${path}`;
const get = (path: string) => phone.app.inject({ url: path, remoteAddress: '192.0.2.77' });
const pathOf = (url: string) => url.slice(PHONE_URL.length);

async function post(path: string, body: Record<string, unknown>): Promise<any> {
  const response = await fixture.admin.post(api(path), body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

/** Every target rendered up to its latest generation, and nothing waiting. */
async function settled(): Promise<boolean> {
  const [row] = await fixture.sql<{ behind: string; total: string }>(
    `select count(*) filter (where rendered_gen < desired_gen)::text as behind, count(*)::text as total from render_targets where tenant_id = ?`,
    [fixture.tenantId],
  );
  return row!.behind === '0' && Number(row!.total) > 0;
}

async function storedBody(servePath: string): Promise<string> {
  const [row] = await fixture.sql<{ body: Buffer }>(`select body from artifacts where serve_path = ?`, [servePath]);
  expect(row, servePath).toBeDefined();
  return row!.body.toString('utf8');
}

async function deviceFile(vendor: Vendor, name: string) {
  const response = await fetchWithDigest(
    phone.app,
    `/${name}`,
    { username: DEVICES[vendor].mac, secret: secrets[vendor] },
    { ip: '192.0.2.78' },
  );
  expect(response.statusCode, name).toBe(200);
  return response;
}

function element(xml: string, name: string): string {
  const match = new RegExp(`<${name}(?: [^>]*)?>([^<]*)</${name}>`).exec(xml);
  expect(match, name).not.toBeNull();
  return match![1]!.replace(/&amp;/g, '&');
}

beforeAll(async () => {
  fixture = await phoneFixture({ PROVD_PUBLIC_PHONE_URL: PHONE_URL, PROVD_PHONE_BAN_THRESHOLD: '100000' });
  relay = createRelay(fixture.ctx.deps, fanoutRegistry(), { batchSize: 500, pollMs: 100 });
  workers = startWorkers(
    { render: renderHandlers(fixture.ctx.deps, rendererRegistry({ publicPhoneUrl: PHONE_URL })) },
    {
      connection: fixture.ctx.deps.workerRedis,
      prefix: fixture.ctx.config.queuePrefix,
      concurrency: 4,
      logger: fixture.ctx.deps.logger,
    },
  );
  await relay.start();
  phone = await startPhoneProcess(fixture.ctx);

  const profile = await post('/profiles', { name: 'Base', settings: { sipServer: 'sip.example.net' } });
  expect((await fixture.admin.put(api(`/profiles/${profile.id}/default`))).status).toBe(200);
  const group = await post('/groups', { name: 'Engineering' });
  const account = await post('/accounts', {
    groupId: group.id,
    extension: '201',
    displayName: 'Grace Hopper',
    sipUsername: 'u201',
    sipPassword: 'pw-201-secret',
  });
  const company = await post('/phonebooks', { name: 'Company', isDefault: true });
  companyToken = company.token;
  await post('/contacts', {
    firstName: 'Ada',
    lastName: 'Lovelace',
    numbers: [{ type: 'work', number: '+4930123456' }],
  });
  await post('/contacts', {
    firstName: 'Alan',
    lastName: 'Turing',
    numbers: [{ type: 'mobile', number: '+491711111111' }],
  });
  for (const [vendor, device] of Object.entries(DEVICES) as [Vendor, (typeof DEVICES)[Vendor]][]) {
    const created = await post('/devices', {
      mac: device.mac,
      vendor,
      model: device.model,
      lines: [{ index: 1, accountId: account.id }],
    });
    secrets[vendor] = created.provisioningSecret;
  }
  [{ directory_token: directoryToken }] = await fixture.sql<{ directory_token: string }>(
    `select directory_token from tenants where id = ?`,
    [fixture.tenantId],
  );
  expect(await eventually(settled, (done) => done, 60_000)).toBe(true);
}, 120_000);

afterAll(async () => {
  await relay?.stop();
  await Promise.all(workers.map((worker) => worker.close()));
  await phone?.close();
  await fixture?.close();
});

describe('Poly: <mac>-directory.xml', () => {
  it('answers the authenticated phone with the shared Poly variant of its first phonebook, the internal directory', async () => {
    const name = `${DEVICES.poly.mac}-directory.xml`;
    expect((await get(`/${name}`)).statusCode).toBe(401);
    const response = await deviceFile('poly', name);
    expect(response.body).toBe(await storedBody(`pb/${directoryToken}/poly.xml`));
    expect(response.body).toContain('<directory>');
    expect(response.body).toContain('Grace Hopper');
    expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
    await parseStrict([{ name, body: response.body }]);
  });

  it('is not rendered per device, and the device render no longer warns that it has no phonebook', async () => {
    const paths = await fixture.sql<{ serve_path: string }>(
      `select serve_path from artifacts where serve_path like ?`,
      [`${DEVICES.poly.mac}/%`],
    );
    expect(paths.map((row) => row.serve_path).sort()).toEqual([
      `${DEVICES.poly.mac}/${DEVICES.poly.mac}-phone.cfg`,
      `${DEVICES.poly.mac}/${DEVICES.poly.mac}.cfg`,
    ]);
    const [target] = await fixture.sql<{ warnings: string[] | null }>(
      `select warnings from render_targets where target_key = ?`,
      [`device:${await deviceId('poly')}`],
    );
    expect(JSON.stringify(target!.warnings ?? [])).not.toContain('phonebook URLs are not written');
    expect(target!.warnings).toContain(
      'poly phones show one directory (<mac>-directory.xml: the first phonebook); 1 other phonebook(s) not provisioned',
    );
  });

  it('is only a Poly name: another vendor asking for it gets 404 after authenticating', async () => {
    const response = await fetchWithDigest(phone.app, `/${DEVICES.yealink.mac}-directory.xml`, {
      username: DEVICES.yealink.mac,
      secret: secrets.yealink,
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('Yealink: #SEARCH remote phonebook', () => {
  it('the search entry of the device file is answered with matches from the server', async () => {
    const profile = (await deviceFile('yealink', `${DEVICES.yealink.mac}.cfg`)).body;
    const slots = [...profile.matchAll(/^remote_phonebook\.data\.(\d)\.(url|name) = (.*)$/gm)].map((match) => match[3]);
    expect(slots.slice(0, 8)).toEqual([
      `${PHONE_URL}/pb/${directoryToken}/yealink.xml`,
      'Internal directory',
      `${PHONE_URL}/pb/${companyToken}/yealink.xml`,
      'Company',
      `${PHONE_URL}/pb/${directoryToken}/yealink.xml?q=#SEARCH`,
      'Internal directory (search)',
      `${PHONE_URL}/pb/${companyToken}/yealink.xml?q=#SEARCH`,
      'Company (search)',
    ]);
    // The phone puts what the user typed in place of #SEARCH.
    const found = await get(pathOf(slots[6]!.replace('#SEARCH', 'lovelace')));
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain('<YealinkIPPhoneDirectory>');
    expect(found.body).toContain('Ada Lovelace');
    expect(found.body).not.toContain('Turing');
    const byNumber = await get(pathOf(slots[4]!.replace('#SEARCH', '201')));
    expect(byNumber.body).toContain('Grace Hopper');
  });
});

describe('Cisco MPP: directory pages with Search', () => {
  it('the directory URL leads to a schema-valid page whose Search softkey opens the search prompt and its results', async () => {
    const profile = (await deviceFile('cisco-mpp', `${DEVICES['cisco-mpp'].mac}.xml`)).body;
    const directoryUrl = element(profile, 'XML_Directory_Service_URL');
    expect(directoryUrl).toBe(`${PHONE_URL}/pb/${directoryToken}/cisco.xml`);
    const page = await get(pathOf(directoryUrl));
    expect(page.statusCode).toBe(200);
    await validateCisco([{ name: 'cisco.xml', body: page.body }]);
    const searchUrl = /<Name>Search<\/Name>\s*<Position>\d<\/Position>\s*<URL>([^<]+)<\/URL>/.exec(page.body)?.[1];
    expect(searchUrl).toBe(`${PHONE_URL}/pb/${directoryToken}/cisco-search.xml`);
    const prompt = await get(pathOf(searchUrl!));
    expect(prompt.body).toContain('<CiscoIPPhoneInput>');
    const results = await get(`${pathOf(searchUrl!)}?q=grace`);
    expect(results.body).toContain('Grace Hopper');
    await validateCisco([
      { name: 'prompt.xml', body: prompt.body },
      { name: 'results.xml', body: results.body },
    ]);
  });
});

describe('Grandstream: <P331>/phonebook.xml', () => {
  it('the folder in P331 serves the grandstream variant as phonebook.xml', async () => {
    const profile = (await deviceFile('grandstream', `cfg${DEVICES.grandstream.mac}.xml`)).body;
    expect(element(profile, 'P330')).toBe('1');
    const folder = element(profile, 'P331');
    expect(folder).toBe(`prov.example.test/pb/${directoryToken}`);
    expect(Number(element(profile, 'P332'))).toBeGreaterThanOrEqual(5);
    const response = await get(`${folder.slice('prov.example.test'.length)}/phonebook.xml`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(await storedBody(`pb/${directoryToken}/grandstream.xml`));
    expect(response.body).toContain('<AddressBook>');
    expect((await get(`/pb/not-a-real-token-0000/phonebook.xml`)).statusCode).toBe(404);
  });
});

describe('Snom: dkey_directory opens a minibrowser document', () => {
  it('the directory key URL serves SnomIPPhoneDirectory, and the tbook variant stays available', async () => {
    const profile = (await deviceFile('snom', `snomD785-${DEVICES.snom.mac.toUpperCase()}.htm`)).body;
    const key = element(profile, 'dkey_directory');
    expect(key).toBe(`url ${PHONE_URL}/pb/${directoryToken}/snom-directory.xml`);
    const response = await get(pathOf(key.slice('url '.length)));
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<SnomIPPhoneDirectory>');
    expect(response.body).toContain('<Name>Grace Hopper</Name>');
    await parseStrict([{ name: 'snom-directory.xml', body: response.body }]);
    expect((await get(`/pb/${companyToken}/snom.xml`)).body).toContain('<tbook complete="true">');
  });
});

async function deviceId(vendor: Vendor): Promise<string> {
  const [row] = await fixture.sql<{ id: string }>(`select id::text as id from devices where mac = ?`, [
    DEVICES[vendor].mac,
  ]);
  return row!.id;
}
