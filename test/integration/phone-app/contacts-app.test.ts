import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fanoutRegistry } from '#src/app/fanout.js';
import { rendererRegistry } from '#src/app/renderers.js';
import { createRelay, renderHandlers } from '#src/modules/pipeline/pipeline.js';
import type { OutboxRelay } from '#src/modules/pipeline/relay.js';
import { startWorkers } from '#src/queues/worker-host.js';
import { eventually } from '../../helpers/eventually.js';
import { parseStrict, validateCisco } from '../../unit/render/phonebook/support/xml-check.js';
import {
  fetchWithDigest,
  phoneFixture,
  startPhoneProcess,
  type PhoneFixture,
  type PhoneProcess,
} from '../phone-server/support.js';

/*
 * The phone contacts app end to end: grants through the admin API, the real pipeline renders the
 * key into the device files, and the phones walk the app over HTTP as phones do (their own
 * User-Agent, Digest as the device). A contact added on one phone reaches another phone's book.
 */

const PHONE_URL = 'http://prov.example.test';
const PHONES = {
  yealink: {
    mac: '001565dd0001',
    vendor: 'yealink',
    model: 'T46S',
    ua: 'Yealink SIP-T46S 66.86.0.15 00:15:65:dd:00:01',
  },
  cisco: {
    mac: '00562bdd0002',
    vendor: 'cisco-mpp',
    model: 'CP-8841',
    ua: 'Cisco-CP-8841-3PCC/12.0.7 (00562bdd0002)',
  },
  second: {
    mac: '001565dd0003',
    vendor: 'yealink',
    model: 'T46S',
    ua: 'Yealink SIP-T46S 66.86.0.15 00:15:65:dd:00:03',
  },
} as const;
type Phone = keyof typeof PHONES;

let fixture: PhoneFixture;
let phone: PhoneProcess;
let relay: OutboxRelay;
let workers: Worker[] = [];
const secrets = {} as Record<Phone, string>;
let sales: { id: string };
let ada: { id: string };
let grace: { id: string };
let companyToken: string;

const api = (path: string) => `/api/v1/tenants/${fixture.tenantSlug}${path}`;
const pathOf = (url: string) => url.replace(PHONE_URL, '').replace(/&amp;/g, '&');

async function post(path: string, body: Record<string, unknown>): Promise<any> {
  const response = await fixture.admin.post(api(path), body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

/** Grants are the owner's. */
async function put(path: string, body: Record<string, unknown>): Promise<any> {
  const response = await fixture.owner.put(api(path), body);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

async function settled(): Promise<boolean> {
  const [row] = await fixture.sql<{ behind: string; total: string }>(
    `select count(*) filter (where rendered_gen < desired_gen)::text as behind, count(*)::text as total from render_targets where tenant_id = ?`,
    [fixture.tenantId],
  );
  return row!.behind === '0' && Number(row!.total) > 0;
}

/** A GET as the phone does it: its User-Agent, a 401 first, then Digest with the device's secret. */
function fetchAs(which: Phone, path: string) {
  return fetchWithDigest(
    phone.app,
    path,
    { username: PHONES[which].mac, secret: secrets[which] },
    { userAgent: PHONES[which].ua, ip: '192.0.2.90' },
  );
}

async function deviceFile(which: Phone): Promise<string> {
  const response = await fetchAs(
    which,
    `/${PHONES[which].mac}.cfg`.replace('.cfg', which === 'cisco' ? '.xml' : '.cfg'),
  );
  expect(response.statusCode).toBe(200);
  return response.body;
}

const contactCount = async () =>
  Number(
    (
      await fixture.sql<{ n: string }>(`select count(*)::text as n from contacts where tenant_id = ?`, [
        fixture.tenantId,
      ])
    )[0]!.n,
  );

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
  sales = await post('/groups', { name: 'Sales' });
  const support = await post('/groups', { name: 'Support' });
  ada = await post('/accounts', {
    groupId: sales.id,
    extension: '301',
    displayName: 'Ada Seller',
    sipUsername: 'u301',
    sipPassword: 'pw-301-secret',
  });
  grace = await post('/accounts', {
    groupId: support.id,
    extension: '302',
    displayName: 'Grace Helper',
    sipUsername: 'u302',
    sipPassword: 'pw-302-secret',
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
    numbers: [
      { type: 'work', number: '+4930222222' },
      { type: 'mobile', number: '+491711111111' },
    ],
  });
  for (const [which, device] of Object.entries(PHONES) as [Phone, (typeof PHONES)[Phone]][]) {
    const created = await post('/devices', {
      mac: device.mac,
      vendor: device.vendor,
      model: device.model,
      lines: [{ index: 1, accountId: which === 'second' ? grace.id : ada.id }],
    });
    secrets[which] = created.provisioningSecret;
  }
  expect(await eventually(settled, (done) => done, 60_000)).toBe(true);
}, 120_000);

afterAll(async () => {
  await relay?.stop();
  await Promise.all(workers.map((worker) => worker.close()));
  await phone?.close();
  await fixture?.close();
});

describe('before any grant', () => {
  it('renders no app key, and the app refuses the user (403 with a screen saying so)', async () => {
    expect(await deviceFile('yealink')).not.toContain('programablekey.2');
    expect(await deviceFile('cisco')).not.toContain('XML_Application_Service_URL');
    const menu = await fetchAs('yealink', `/app/${PHONES.yealink.mac}/menu.xml`);
    expect(menu.statusCode).toBe(403);
    expect(menu.body).toContain('<YealinkIPPhoneTextScreen');
    expect(menu.body).toContain('Ada Seller may not view company contacts.');
  });

  it("asks for Digest like a config fetch, and never answers another device's secret", async () => {
    const bare = await phone.app.inject({ url: `/app/${PHONES.yealink.mac}/menu.xml`, remoteAddress: '192.0.2.91' });
    expect(bare.statusCode).toBe(401);
    expect(String(bare.headers['www-authenticate'])).toContain('Digest');
    const wrong = await fetchWithDigest(phone.app, `/app/${PHONES.yealink.mac}/menu.xml`, {
      username: PHONES.yealink.mac,
      secret: secrets.second,
    });
    expect(wrong.statusCode).toBe(401);
  });
});

describe('after grants', () => {
  beforeAll(async () => {
    // The group grants view; Ada herself gets add: the union is view + add.
    expect(await put(`/groups/${sales.id}/contact-permissions`, { permissions: ['view'] })).toEqual({
      granted: ['view'],
    });
    const view = await put(`/accounts/${ada.id}/contact-permissions`, { permissions: ['add'] });
    expect(view.effective.permissions).toEqual(['view', 'add']);
    expect(view.effective.sources.view).toEqual([{ kind: 'group', groupId: sales.id, groupName: 'Sales' }]);
    expect(view.effective.sources.add).toEqual([{ kind: 'user' }]);
    // Grace only views.
    await put(`/accounts/${grace.id}/contact-permissions`, { permissions: ['view'] });
    expect(
      await eventually(
        async () => (await settled()) && (await deviceFile('yealink')).includes('programablekey.2.type = 27'),
        (done) => done,
        60_000,
      ),
    ).toBe(true);
  }, 90_000);

  it('renders the key (Yealink) and the Applications entry (Cisco MPP) with no secret in the URL', async () => {
    const yealink = await deviceFile('yealink');
    const url = `${PHONE_URL}/app/${PHONES.yealink.mac}/menu.xml`;
    expect(yealink).toContain(`programablekey.2.value = ${url}`);
    expect(yealink).toContain('programablekey.2.label = Company Contacts');
    const cisco = await deviceFile('cisco');
    expect(cisco).toContain(
      `<XML_Application_Service_URL ua="na">${PHONE_URL}/app/${PHONES.cisco.mac}/menu.xml</XML_Application_Service_URL>`,
    );
    for (const secret of Object.values(secrets)) expect(url).not.toContain(secret);
  });

  it('walks the Yealink app: menu with Add, letters, browse, search, paging links', async () => {
    const base = `/app/${PHONES.yealink.mac}`;
    const menu = await fetchAs('yealink', `${base}/menu.xml`);
    expect(menu.statusCode).toBe(200);
    expect(menu.headers['content-type']).toBe('text/xml; charset=utf-8');
    await parseStrict([{ name: 'menu.xml', body: menu.body }]);
    expect(menu.body).toContain('<YealinkIPPhoneTextMenu');
    expect(menu.body).toContain('<Prompt>Add contact</Prompt>');

    const letters = await fetchAs('yealink', `${base}/letters.xml`);
    const l = /<URI>([^<]*letter=l)<\/URI>/.exec(letters.body);
    expect(l).not.toBeNull();
    const browse = await fetchAs('yealink', pathOf(l![1]!));
    expect(browse.statusCode).toBe(200);
    expect(browse.body).toContain('<Name>Ada Lovelace</Name>');
    expect(browse.body).toContain('<Telephone>+4930123456</Telephone>');
    expect(browse.body).not.toContain('Turing');

    const search = await fetchAs('yealink', `${base}/search.xml`);
    expect(search.body).toContain('<YealinkIPPhoneInputScreen');
    const results = await fetchAs('yealink', `${base}/results.xml?q=turing`);
    expect(results.body).toContain('<Name>Alan Turing (Mobile)</Name>');
    expect(results.body).toContain('<URI>SoftKey:Dial</URI>');
    await parseStrict([{ name: 'results.xml', body: results.body }]);
  });

  it("adds a contact from the phone; it reaches the second phone's phonebook file", async () => {
    const base = `/app/${PHONES.yealink.mac}`;
    const form = await fetchAs('yealink', `${base}/add.xml`);
    expect(form.body).toContain('<Parameter>work</Parameter>');
    expect(form.body).toContain(`<URL>${PHONE_URL}${base}/save.xml</URL>`);
    const saved = await fetchAs(
      'yealink',
      `${base}/save.xml?first=Katherine&last=Johnson&company=&work=%2B4930777777&mobile=`,
    );
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('<Title>Contact saved</Title>');
    const [row] = await fixture.sql<{ actor_name: string }>(
      `select actor_name from audit_entries where tenant_id = ? and entity_type = 'Contact' order by created_at desc limit 1`,
      [fixture.tenantId],
    );
    expect(row!.actor_name).toBe('Ada Seller (phone)');
    const book = `/pb/${companyToken}/yealink.xml`;
    const seen = await eventually(
      async () => {
        const response = await fetchAs('second', book);
        return response.statusCode === 200 && response.body.includes('Katherine Johnson');
      },
      (done) => done,
      30_000,
    );
    expect(seen).toBe(true);
  });

  it('bad input gets a screen saying what is wrong, and nothing is written', async () => {
    const before = await contactCount();
    const bad = await fetchAs('yealink', `/app/${PHONES.yealink.mac}/save.xml?first=&last=&company=&work=abc&mobile=`);
    expect(bad.statusCode).toBe(200);
    expect(bad.body).toContain('<Title>Not saved</Title>');
    expect(bad.body).toContain('a first name, last name or company is required');
    expect(bad.body).toContain('is not a valid phone number');
    expect(bad.body).toContain('add.xml?first=&amp;last=&amp;company=&amp;work=abc');
    await parseStrict([{ name: 'bad.xml', body: bad.body }]);
    expect(await contactCount()).toBe(before);
  });

  it('a user who may only view sees no Add entry, and the server refuses the save anyway', async () => {
    const menu = await fetchAs('second', `/app/${PHONES.second.mac}/menu.xml`);
    expect(menu.statusCode).toBe(200);
    expect(menu.body).not.toContain('Add contact');
    const before = await contactCount();
    const save = await fetchAs('second', `/app/${PHONES.second.mac}/save.xml?first=Eve&work=%2B4930555555`);
    expect(save.statusCode).toBe(403);
    expect(save.body).toContain('may not add company contacts');
    expect(await contactCount()).toBe(before);
  });

  it('walks the Cisco app: every page validates against CiscoIPPhone.xsd', async () => {
    const base = `/app/${PHONES.cisco.mac}`;
    const pages = [];
    for (const path of [
      `${base}/menu.xml`,
      `${base}/letters.xml`,
      `${base}/browse.xml?letter=t`,
      `${base}/search.xml`,
      `${base}/results.xml?q=ada`,
      `${base}/add.xml`,
      `${base}/save.xml?first=&last=&work=x`,
    ]) {
      const response = await fetchAs('cisco', path);
      expect(response.statusCode, path).toBe(200);
      pages.push({ name: path.replace(/\W/g, '_'), body: response.body });
    }
    await validateCisco(pages);
    expect(pages[0]!.body).toContain('<CiscoIPPhoneMenu>');
    expect(pages[2]!.body).toContain('<Name>Alan Turing (Work)</Name>');
    expect(pages[4]!.body).toContain('<Telephone>+4930123456</Telephone>');
    expect(pages[6]!.body).toContain('<CiscoIPPhoneText>');
  });

  it('removing the grants removes the key from the device file', async () => {
    await put(`/groups/${sales.id}/contact-permissions`, { permissions: [] });
    await put(`/accounts/${ada.id}/contact-permissions`, { permissions: [] });
    expect(
      await eventually(
        async () => (await settled()) && !(await deviceFile('yealink')).includes('programablekey.2'),
        (done) => done,
        60_000,
      ),
    ).toBe(true);
  }, 90_000);
});
