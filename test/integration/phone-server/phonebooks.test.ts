import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ciscoSearchInput,
  ciscoSearchPage,
  gigasetList,
  yealinkSearchResult,
} from '#src/modules/render/phonebook/browse.js';
import type { PhonebookEntry } from '#src/modules/render/phonebook/index.js';
import { ArtifactEvents } from '#src/modules/pipeline/artifact-events.js';
import { phoneFixture, putArtifact, startPhoneProcess, type PhoneFixture, type PhoneProcess } from './support.js';

let fixture: PhoneFixture;
let phone: PhoneProcess;
let token: string;
let phonebookId: string;
const targets: Record<string, string> = {};

const PEOPLE = [
  { firstName: 'Alice', lastName: 'Andersson', numbers: [{ type: 'work', number: '+493011111111' }] },
  { firstName: 'Bob', lastName: 'Berg', company: 'Acme', numbers: [{ type: 'mobile', number: '+491711111111' }] },
  {
    firstName: 'Alina',
    lastName: 'Zeller',
    numbers: [
      { type: 'work', number: '+493022222222' },
      { type: 'home', number: '+493033333333' },
    ],
  },
  ...Array.from({ length: 45 }, (_, i) => ({
    firstName: `Smith${String(i).padStart(2, '0')}`,
    lastName: 'Smith',
    numbers: [{ type: 'work', number: `+4930444${String(i).padStart(5, '0')}` }],
  })),
];

beforeAll(async () => {
  fixture = await phoneFixture({ PROVD_PHONE_BAN_THRESHOLD: '100000' });
  const book = await fixture.admin.post(`/api/v1/tenants/${fixture.tenantSlug}/phonebooks`, {
    name: 'All Company Contacts',
    isDefault: true,
  });
  expect(book.status).toBe(201);
  phonebookId = book.body.id;
  [{ token }] = await fixture.sql<{ token: string }>(`select token from phonebooks where id = ?`, [phonebookId]);
  for (const person of PEOPLE)
    expect((await fixture.admin.post(`/api/v1/tenants/${fixture.tenantSlug}/contacts`, person)).status).toBe(201);
  for (const format of ['yealink', 'cisco', 'gigaset']) {
    const [target] = await fixture.sql<{ id: string }>(
      `insert into render_targets (target_key, tenant_id, kind, ref_id, format, desired_gen, rendered_gen, state, updated_at)
       values (?, ?, 'phonebook', ?, ?, 1, 1, 'ok', now()) returning id::text as id`,
      [`phonebook:${phonebookId}:${format}`, fixture.tenantId, phonebookId, format],
    );
    targets[format] = target!.id;
    await putArtifact(
      fixture,
      target!.id,
      `pb/${token}/${format}.xml`,
      `<static ${format}/>`,
      'text/xml; charset=utf-8',
      false,
    );
  }
  await putArtifact(
    fixture,
    targets.cisco!,
    `pb/${token}/cisco-2.xml`,
    '<static cisco page 2/>',
    'text/xml; charset=utf-8',
    false,
  );
  phone = await startPhoneProcess(fixture.ctx);
});

afterAll(async () => {
  await phone?.close();
  await fixture?.close();
});

/** The entries as the server loads them: contacts in (last name, first name, id) order. */
async function expectedEntries(): Promise<PhonebookEntry[]> {
  const rows = await fixture.sql<{
    id: string;
    first_name: string;
    last_name: string;
    company: string | null;
    numbers: { type: 'work'; number: string }[];
  }>(
    `select c.id::text as id, c.first_name, c.last_name, c.company,
            (select json_agg(json_build_object('type', n.type, 'number', n.number) order by n.position) from contact_numbers n where n.contact_id = c.id) as numbers
       from contacts c where c.tenant_id = ? order by coalesce(c.last_name, ''), coalesce(c.first_name, ''), c.id`,
    [fixture.tenantId],
  );
  return rows.map((row) => ({
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    company: row.company ?? undefined,
    numbers: row.numbers,
  }));
}

const get = (url: string) => phone.app.inject({ url, remoteAddress: '192.0.2.90' });

describe('phonebooks', () => {
  it('serves the static files by token, with ETag, and no auth', async () => {
    const response = await get(`/pb/${token}/yealink.xml`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('<static yealink/>');
    expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect((await get(`/pb/${token}/cisco-2.xml`)).body).toBe('<static cisco page 2/>');
    expect((await get(`/pb/${token}/poly.xml`)).statusCode).toBe(404);
  });

  it('answers Yealink #SEARCH requests from the phonebook entries', async () => {
    const entries = await expectedEntries();
    for (const query of ['ali', '2222', 'acme', 'nobody', '']) {
      const response = await get(`/pb/${token}/yealink.xml?q=${encodeURIComponent(query)}`);
      expect(response.statusCode).toBe(200);
      expect(response.rawPayload.equals(yealinkSearchResult(entries, query)), query).toBe(true);
    }
    expect((await get(`/pb/${token}/yealink.xml?q=ali`)).body).toContain('Andersson');
    expect((await get(`/pb/${token}/yealink.xml?q=ali`)).body).not.toContain('Berg');
  });

  it('answers the Cisco search prompt and paged results with softkeys', async () => {
    const entries = await expectedEntries();
    const base = `http://prov.example.test/pb/${token}/cisco-search.xml`;
    const prompt = await get(`/pb/${token}/cisco-search.xml`);
    expect(prompt.rawPayload.equals(ciscoSearchInput(base, { title: 'All Company Contacts' }))).toBe(true);
    expect(prompt.body).toContain('CiscoIPPhoneInput');
    const page2 = await get(`/pb/${token}/cisco-search.xml?q=smith&page=2`);
    expect(page2.rawPayload.equals(ciscoSearchPage(entries, 'smith', 2, base))).toBe(true);
    expect(page2.body).toContain('Prev');
    expect(page2.headers['cache-control']).toBe('no-store');
  });

  it('answers Gigaset first/count/set_first paging', async () => {
    const entries = await expectedEntries();
    const response = await get(`/pb/${token}/gigaset.xml?command=get_list&type=pr&first=3&count=5`);
    expect(response.rawPayload.equals(gigasetList(entries, { first: 3, count: 5 }))).toBe(true);
    const jump = await get(`/pb/${token}/gigaset.xml?first=1&count=3&set_first=ze`);
    expect(jump.rawPayload.equals(gigasetList(entries, { first: 1, count: 3, setFirst: 'ze' }))).toBe(true);
    expect(jump.body).toContain('Zeller');
  });

  it('rebuilds the search index when the phonebook target changes', async () => {
    expect((await get(`/pb/${token}/yealink.xml?q=quentin`)).body).not.toContain('Quilter');
    expect(
      (
        await fixture.admin.post(`/api/v1/tenants/${fixture.tenantSlug}/contacts`, {
          firstName: 'Quentin',
          lastName: 'Quilter',
          numbers: [{ type: 'work', number: '+493099999999' }],
        })
      ).status,
    ).toBe(201);
    // The worker re-renders the target and publishes it.
    await putArtifact(
      fixture,
      targets.yealink!,
      `pb/${token}/yealink.xml`,
      '<static yealink v2/>',
      'text/xml; charset=utf-8',
      false,
    );
    await new ArtifactEvents(fixture.ctx.deps.redis, fixture.ctx.config.queuePrefix).publishChanged([targets.yealink!]);
    await expect
      .poll(async () => (await get(`/pb/${token}/yealink.xml?q=quentin`)).body, { timeout: 3000, interval: 20 })
      .toContain('Quilter');
    expect((await get(`/pb/${token}/yealink.xml`)).body).toBe('<static yealink v2/>');
  });

  it('searches the internal directory of a tenant', async () => {
    const group = await fixture.admin.post(`/api/v1/tenants/${fixture.tenantSlug}/groups`, { name: 'Engineering' });
    expect(group.status).toBe(201);
    expect(
      (
        await fixture.admin.post(`/api/v1/tenants/${fixture.tenantSlug}/accounts`, {
          groupId: group.body.id,
          extension: '201',
          displayName: 'Grace Hopper',
        })
      ).status,
    ).toBe(201);
    const [{ directory_token: directoryToken }] = await fixture.sql<{ directory_token: string }>(
      `select directory_token from tenants where id = ?`,
      [fixture.tenantId],
    );
    const [target] = await fixture.sql<{ id: string }>(
      `insert into render_targets (target_key, tenant_id, kind, ref_id, format, desired_gen, rendered_gen, state, updated_at)
       values (?, ?, 'directory', ?, 'yealink', 1, 1, 'ok', now()) returning id::text as id`,
      [`directory:${fixture.tenantId}:yealink`, fixture.tenantId, fixture.tenantId],
    );
    await putArtifact(
      fixture,
      target!.id,
      `pb/${directoryToken}/yealink.xml`,
      '<directory/>',
      'text/xml; charset=utf-8',
      false,
    );
    const found = await get(`/pb/${directoryToken}/yealink.xml?q=grace`);
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain('Grace Hopper');
    expect(found.body).toContain('201');
  });

  it('never logs a phonebook token', () => {
    expect(fixture.ctx.logs.join('')).not.toContain(token);
  });
});
