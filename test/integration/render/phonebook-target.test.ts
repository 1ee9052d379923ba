import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONEBOOK_FORMATS, renderPhonebook, type PhonebookEntry } from '#src/modules/render/phonebook/index.js';
import { phonebookEntries } from '#src/modules/render/targets/phonebook-entries.js';
import {
  directoryTargetRenderer,
  phonebookTargetRenderer,
} from '#src/modules/render/targets/phonebook-target.renderer.js';
import { seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { created, fork, PHONE_URL, seedScenario, sql, targetOf, type Scenario } from './render-scenario.js';

let ctx: TestContext;
let t: SeededTenant;
let s: Scenario;
const options = { publicPhoneUrl: PHONE_URL };
const renderBook = phonebookTargetRenderer(options);
const renderDirectory = directoryTargetRenderer(options);

beforeAll(async () => {
  ctx = await createTestContext({ PROVD_PUBLIC_PHONE_URL: PHONE_URL });
  t = await seedTenant(ctx, 'render-pb');
  s = await seedScenario(t);
});
afterAll(async () => ctx?.close());

/** The phonebook's contacts as the contacts API lists them (its own stable order), as renderer entries. */
async function entriesFromApi(phonebookId: string): Promise<PhonebookEntry[]> {
  const list = created(await s.admin.get(s.api(`/phonebooks/${phonebookId}/contacts?limit=500`)), 200);
  return list.items.map((contact: any) => {
    const entry: PhonebookEntry = {
      id: contact.id,
      numbers: contact.numbers.map((n: any) => ({ type: n.type, number: n.number })),
    };
    for (const key of ['firstName', 'lastName', 'company', 'title'] as const)
      if (contact[key] != null) entry[key] = contact[key];
    return entry;
  });
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe('phonebook target renderer', () => {
  it('renders each format byte for byte like a fresh pure render of the same contacts', async () => {
    const [book] = await sql<{ name: string; token: string }>(ctx, `select name, token from phonebooks where id = ?`, [
      s.phonebooks.sales,
    ]);
    const entries = await entriesFromApi(s.phonebooks.sales);
    expect(entries.length).toBeGreaterThan(1);
    for (const format of PHONEBOOK_FORMATS) {
      const result = await renderBook(fork(ctx), targetOf('phonebook', t.tenant.id, s.phonebooks.sales, format));
      const expected = await renderPhonebook(
        format,
        { title: book!.name, entries },
        { baseUrl: `${PHONE_URL}/pb/${book!.token}` },
      );
      expect(
        result.files.map((file) => file.servePath),
        format,
      ).toEqual(expected.files.map((file) => `pb/${book!.token}/${file.name}`));
      result.files.forEach((file, i) => {
        expect(file.body.equals(expected.files[i]!.body), `${format} ${file.servePath}`).toBe(true);
        expect(file).toMatchObject({
          sha256: expected.files[i]!.sha256,
          contentType: 'text/xml; charset=utf-8',
          carriesSecrets: false,
        });
      });
      expect(result.warnings).toEqual(expected.warnings);
    }
  });

  it('streams a book larger than one batch in order, ties on names broken by id, and reports vendor caps as warnings', async () => {
    const created_ = created(await s.admin.post(s.api('/phonebooks'), { name: 'Big book' }));
    // 2,500 contacts (three batches), many sharing a last name so the keyset has to break ties on first name and id.
    await sql(
      ctx,
      `
      with c as (
        insert into contacts (id, tenant_id, first_name, last_name, search_text, dedupe_key, created_at, updated_at)
        select gen_random_uuid(), ?, 'First ' || (g % 7), 'Last ' || (g % 50), '', md5(g::text), now(), now() from generate_series(1, 2500) g
        returning id, tenant_id)
      , n as (insert into contact_numbers (id, tenant_id, contact_id, type, number, position, created_at, updated_at)
        select gen_random_uuid(), tenant_id, id, 'work', '+49301' || lpad((row_number() over (order by id))::text, 6, '0'), 0, now(), now() from c)
      insert into phonebook_contacts (id, tenant_id, phonebook_id, contact_id, created_at, updated_at)
      select gen_random_uuid(), tenant_id, ?, id, now(), now() from c`,
      [t.tenant.id, created_.id],
    );

    const whole = await sql<{ id: string }>(
      ctx,
      `
      select c.id from contacts c join phonebook_contacts pc on pc.contact_id = c.id
       where pc.phonebook_id = ? order by coalesce(c.last_name, ''), coalesce(c.first_name, ''), c.id`,
      [created_.id],
    );
    const streamed = await collect(phonebookEntries(ctx.deps.orm.em.getKnex(), t.tenant.id, created_.id, 333));
    expect(streamed.map((entry) => entry.id)).toEqual(whole.map((row) => row.id));
    expect(streamed.every((entry) => entry.numbers.length === 1)).toBe(true);

    const gigaset = await renderBook(fork(ctx), targetOf('phonebook', t.tenant.id, created_.id, 'gigaset'));
    expect(gigaset.warnings).toEqual(['truncated to 2000 entries (gigaset central book cap); 500 more left out']);
    const cisco = await renderBook(fork(ctx), targetOf('phonebook', t.tenant.id, created_.id, 'cisco'));
    expect(cisco.files.length).toBe(Math.ceil(2500 / 32) + 1);
    const yealink = await renderBook(fork(ctx), targetOf('phonebook', t.tenant.id, created_.id, 'yealink'));
    expect(yealink.files[0]!.body.toString('utf8').match(/<DirectoryEntry>/g)).toHaveLength(2500);
  });

  it('renders nothing for a phonebook that is gone or belongs to another tenant, and refuses an unknown format', async () => {
    const other = await seedTenant(ctx, 'render-pb-other');
    expect(await renderBook(fork(ctx), targetOf('phonebook', other.tenant.id, s.phonebooks.sales, 'yealink'))).toEqual({
      files: [],
      warnings: [],
    });
    await expect(
      renderBook(fork(ctx), targetOf('phonebook', t.tenant.id, s.phonebooks.sales, 'vcard')),
    ).rejects.toThrow(/unknown phonebook format "vcard"/);
  });
});

describe('internal directory target renderer', () => {
  it('lists enabled accounts with extension and primary number, hunt groups and shared numbers, under the tenant directory token', async () => {
    const numbers = created(
      await s.admin.post(s.api('/numbers'), { numbers: ['+49301110001', '+49301110002', '+49301110003'] }),
    );
    const [primary, hunt, shared] = numbers.items.map((n: any) => n.id);
    created(await s.admin.post(s.api(`/numbers/${primary}/assign`), { accountId: s.accounts.b, role: 'primary' }), 200);
    const huntGroup = created(
      await s.admin.post(s.api('/hunt-groups'), { name: 'Support <Hotline>', extension: '500' }),
    );
    created(await s.admin.post(s.api(`/numbers/${hunt}/assign`), { huntGroupId: huntGroup.id }), 200);
    created(await s.admin.post(s.api(`/groups/${s.groups.night}/shared-numbers`), { numberId: shared }));
    created(await s.admin.patch(s.api(`/accounts/${s.accounts.d}`), { enabled: false }), 200);
    const [{ directory_token: token }] = await sql<{ directory_token: string }>(
      ctx,
      `select directory_token from tenants where id = ?`,
      [t.tenant.id],
    );

    const result = await renderDirectory(fork(ctx), targetOf('directory', t.tenant.id, t.tenant.id, 'yealink'));
    expect(result.files.map((file) => file.servePath)).toEqual([`pb/${token}/yealink.xml`]);
    const xml = result.files[0]!.body.toString('utf8');
    const names = [...xml.matchAll(/<Name>([^<]*)<\/Name>/g)].map((m) => m[1]);
    expect(names).toEqual([
      'Bob Builder',
      'Carla Night',
      'Night desk',
      'Support &lt;Hotline&gt;',
      `Zoë "Z" O'Brien &amp; &lt; &gt; " ' ( ) ;`,
    ]);
    expect(xml).toMatch(
      /<Name>Bob Builder<\/Name>\s*<Telephone>202<\/Telephone>\s*<Telephone>\+49301110001<\/Telephone>/,
    );
    expect(xml).toContain('<Telephone>+49301110001</Telephone>');
    expect(xml).toContain('<Telephone>+49301110002</Telephone>');
    expect(xml).toContain('<Telephone>+49301110003</Telephone>');
    expect(xml).not.toContain('Dan Night');

    const grouped = await renderDirectory(
      fork(ctx),
      targetOf('directory', t.tenant.id, t.tenant.id, 'yealink-grouped'),
    );
    expect(grouped.files[0]!.body.toString('utf8')).toMatch(/<Menu Name="Night desk">/);
    const again = await renderDirectory(fork(ctx), targetOf('directory', t.tenant.id, t.tenant.id, 'yealink'));
    expect(again.files[0]!.body.equals(result.files[0]!.body)).toBe(true);
    expect(await renderDirectory(fork(ctx), targetOf('directory', t.tenant.id, s.phonebooks.all, 'yealink'))).toEqual({
      files: [],
      warnings: [],
    });
  });
});
