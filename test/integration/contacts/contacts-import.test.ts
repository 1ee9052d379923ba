import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { allContacts, csv, upload } from './support.js';

let ctx: TestContext;
let t: SeededTenant;

beforeAll(async () => {
  ctx = await createTestContext();
  t = await seedTenant(ctx, 'imp', { defaultCountry: 'DE' });
});
afterAll(async () => ctx?.close());

const contactTables = ['contacts', 'contact_numbers', 'phonebook_contacts'] as const;
async function tableCounts(tenantId: string): Promise<number[]> {
  return Promise.all(contactTables.map((table) => countRows(ctx, table, 'tenant_id = ?', [tenantId])));
}

describe('CSV import within the request', () => {
  it('maps common headers, reads BOM + CRLF + semicolons, and joins the chosen and default phonebooks', async () => {
    const s = await seedTenant(ctx, 'imp-map', { defaultCountry: 'DE' });
    const all = await s.admin.post(`/api/v1/tenants/${s.slug}/phonebooks`, { name: 'All', isDefault: true });
    const chosen = await s.admin.post(`/api/v1/tenants/${s.slug}/phonebooks`, { name: 'Chosen' });
    const file =
      '\uFEFF' +
      csv([
        'Vorname;Nachname;Firma;E-Mail;Telefon geschäftlich;Mobiltelefon',
        'Jürgen;Groß;Bäckerei;j@example.de;030 1234567;0171 2345678',
        'Anna;Ölmann;;;4711;',
      ]);
    const response = await upload(ctx, s.tokens.admin, s.slug, file, `format=csv&phonebook=${chosen.body.id}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'done',
      rowsRead: 2,
      created: 2,
      failed: 0,
      errorCount: 0,
      dryRun: false,
    });
    expect(response.body.id).toEqual(expect.any(String));
    const contacts = (await s.viewer.get(`/api/v1/tenants/${s.slug}/contacts`)).body.items;
    expect(contacts.map((c: { lastName: string }) => c.lastName)).toEqual(['Groß', 'Ölmann']);
    expect(contacts[0]).toMatchObject({ firstName: 'Jürgen', company: 'Bäckerei', email: 'j@example.de' });
    expect(contacts[0].numbers).toEqual([
      { type: 'work', number: '+49301234567' },
      { type: 'mobile', number: '+491712345678' },
    ]);
    expect(contacts[1].numbers).toEqual([{ type: 'work', number: '4711' }]);
    for (const c of contacts) expect([...c.phonebookIds].sort()).toEqual([all.body.id, chosen.body.id].sort());
  });

  it('imports 10,000 rows with malformed rows mixed in: valid rows land, bad rows are reported by line', async () => {
    const s = await seedTenant(ctx, 'imp-10k', { defaultCountry: 'DE' });
    const lines = ['first_name,last_name,company,work,mobile'];
    const expectedErrors = new Map<number, string>();
    for (let i = 0; i < 10000; i++) {
      const line = i + 2;
      if (i % 97 === 13) {
        lines.push(`Bad${i},Number${i},Co,not-a-number,`);
        expectedErrors.set(line, 'invalid_number');
      } else if (i % 211 === 7) {
        lines.push(`,,,+4930${String(1000000 + i)},`);
        expectedErrors.set(line, 'name_required');
      } else if (i % 331 === 5) {
        lines.push(`"Broken"x${i},Quote,Co,+4930${String(1000000 + i)},`);
        expectedErrors.set(line, 'malformed_row');
      } else if (i % 401 === 3) {
        lines.push(`Too,Many,Cells,+4930${String(1000000 + i)},,surplus`);
        expectedErrors.set(line, 'column_count');
      } else {
        lines.push(`Given${i},Family${i},"Firm ${i % 50}, Inc",+4930${String(1000000 + i)},0171${String(1000000 + i)}`);
      }
    }
    const response = await upload(ctx, s.tokens.admin, s.slug, csv(lines), 'format=csv&duplicates=report');
    expect(response.status).toBe(200);
    const valid = 10000 - expectedErrors.size;
    expect(response.body).toMatchObject({
      rowsRead: 10000,
      created: valid,
      failed: expectedErrors.size,
      duplicatesFound: 0,
    });
    const reported = new Map<number, string>(
      response.body.errors.map((e: { line: number; code: string }) => [e.line, e.code]),
    );
    expect(reported).toEqual(expectedErrors);
    expect(await countRows(ctx, 'contacts', 'tenant_id = ?', [s.tenant.id])).toBe(valid);
    expect(await countRows(ctx, 'contact_numbers', 'tenant_id = ?', [s.tenant.id])).toBe(valid * 2);
    const sample = (await s.viewer.get(`/api/v1/tenants/${s.slug}/contacts?q=Family9999`)).body.items;
    expect(sample).toHaveLength(1);
    expect(sample[0]).toMatchObject({
      firstName: 'Given9999',
      company: 'Firm 49, Inc',
      numbers: [
        { type: 'work', number: '+49301009999' },
        { type: 'mobile', number: '+491711009999' },
      ],
    });
  });

  it('keeps Unicode and markup characters through an import', async () => {
    const s = await seedTenant(ctx, 'imp-uni');
    const names = [
      ['Zoë', 'Ångström-Müller'],
      ['太郎', '山田'],
      ['🎉', '👩‍👩‍👧'],
      ['שלום', 'مرحبا'],
      [`Tom & "Jerry"`, `<O'Brien>`],
    ];
    const rows = names.map(
      ([first, last], i) => `"${first!.replaceAll('"', '""')}","${last!.replaceAll('"', '""')}",+3312345678${i}`,
    );
    const response = await upload(
      ctx,
      s.tokens.admin,
      s.slug,
      csv(['first_name,last_name,work', ...rows]),
      'format=csv',
    );
    expect(response.body.created).toBe(5);
    const stored = await allContacts(ctx, s.tokens.viewer, s.slug);
    expect(stored.map((c) => [c.firstName, c.lastName]).sort()).toEqual(names.map((n) => [...n]).sort());
  });
});

describe('dry run', () => {
  it('reports what an import would do and writes nothing', async () => {
    const s = await seedTenant(ctx, 'imp-dry', { defaultCountry: 'DE' });
    await s.admin.post(`/api/v1/tenants/${s.slug}/phonebooks`, { name: 'All', isDefault: true });
    await s.admin.post(`/api/v1/tenants/${s.slug}/contacts`, {
      firstName: 'Existing',
      lastName: 'Person',
      numbers: [{ type: 'work', number: '+493011111111' }],
    });
    const file = csv([
      'first_name,last_name,work,email',
      'New,One,+493022222222,',
      'existing,PERSON,+493011111111,e@example.com',
      'Broken,Row,xyz,',
      'New,One,+493022222222,one@example.com',
    ]);
    const before = await tableCounts(s.tenant.id);
    const importsBefore = await countRows(ctx, 'contact_imports');
    const dry = await upload(ctx, s.tokens.admin, s.slug, file, 'format=csv&dryRun=true');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ id: null, dryRun: true, rowsRead: 4, created: 1, merged: 2, failed: 1 });
    expect(dry.body.errors).toEqual([expect.objectContaining({ line: 4, code: 'invalid_number' })]);
    // The preview's first rows per outcome: line 5 folds into line 2, line 3 adds an email to a stored contact.
    expect(dry.body.samples).toEqual({
      created: [{ line: 2, name: 'New One', company: null, numbers: ['+493022222222'] }],
      updated: [{ line: 3, name: 'existing PERSON', company: null, numbers: ['+493011111111'] }],
      skipped: [],
    });
    const again = await upload(
      ctx,
      s.tokens.admin,
      s.slug,
      csv(['first_name,last_name,work', 'Existing,Person,+493011111111']),
      'format=csv&dryRun=true',
    );
    expect(again.body.samples).toEqual({
      created: [],
      updated: [],
      skipped: [{ line: 2, name: 'Existing Person', company: null, numbers: ['+493011111111'] }],
    });
    expect(await tableCounts(s.tenant.id)).toEqual(before);
    expect(await countRows(ctx, 'contact_imports')).toBe(importsBefore);
    const real = await upload(ctx, s.tokens.admin, s.slug, file, 'format=csv');
    expect(real.body).toMatchObject({ rowsRead: 4, created: 1, merged: 2, failed: 1 });
    expect(real.body).not.toHaveProperty('samples');
  });
});

describe('duplicates', () => {
  const file = csv([
    'first_name,last_name,company,title,work,mobile',
    'José,Núñez,,,+34911234567,',
    'JOSE,nunez,Acme,CEO,+34911234567,',
    'José,Núñez,Other,,,+34911234567',
    'Ana,Núñez,,,+34911234568,',
  ]);

  it('merges rows with the same normalised name and numbers, earlier values first', async () => {
    const s = await seedTenant(ctx, 'dup-merge');
    const response = await upload(ctx, s.tokens.admin, s.slug, file, 'format=csv&duplicates=merge');
    expect(response.body).toMatchObject({ created: 2, merged: 2, duplicatesFound: 0, failed: 0 });
    const stored = await allContacts(ctx, s.tokens.viewer, s.slug);
    const jose = stored.find((c) => c.firstName === 'José')!;
    expect(jose).toMatchObject({ lastName: 'Núñez', company: 'Acme', title: 'CEO' });
    expect(jose.numbers).toEqual([
      { type: 'work', number: '+34911234567' },
      { type: 'mobile', number: '+34911234567' },
    ]);
    // Importing the same file again merges into the existing contacts instead of duplicating them.
    const again = await upload(ctx, s.tokens.admin, s.slug, file, 'format=csv&duplicates=merge');
    expect(again.body).toMatchObject({ created: 0, merged: 4 });
    expect(await countRows(ctx, 'contacts', 'tenant_id = ?', [s.tenant.id])).toBe(2);
  });

  it('reports duplicates by line in report mode, against the file and existing contacts', async () => {
    const s = await seedTenant(ctx, 'dup-report');
    await s.admin.post(`/api/v1/tenants/${s.slug}/contacts`, {
      firstName: 'Ana',
      lastName: 'Nunez',
      numbers: [{ type: 'home', number: '+34911234568' }],
    });
    const response = await upload(ctx, s.tokens.admin, s.slug, file, 'format=csv&duplicates=report');
    expect(response.body).toMatchObject({ created: 1, duplicatesFound: 3, merged: 0 });
    expect(
      response.body.errors.map((e: { line: number; code: string; message: string }) => [
        e.line,
        e.code,
        e.message.replace(/[0-9a-f-]{36}/, 'ID'),
      ]),
    ).toEqual([
      [3, 'duplicate', 'same name and numbers as line 2'],
      [4, 'duplicate', 'same name and numbers as line 2'],
      [5, 'duplicate', 'same name and numbers as existing contact ID'],
    ]);
  });
});

describe('vCard import', () => {
  it('imports vCard 3.0 and 4.0 cards and reports a broken card by its line', async () => {
    const s = await seedTenant(ctx, 'imp-vcf', { defaultCountry: 'DE' });
    const file =
      [
        'BEGIN:VCARD',
        'VERSION:3.0',
        'N:Muster;Max;;;',
        'FN:Max Muster',
        'ORG:Firma & Co',
        'TEL;TYPE=WORK,VOICE:030 1234567',
        'END:VCARD',
        'BEGIN:VCARD',
        'VERSION:4.0',
        'FN:山田 太郎',
        'N:山田;太郎;;;',
        'TEL;VALUE=uri;TYPE=cell:tel:+81312345678',
        'END:VCARD',
        'BEGIN:VCARD',
        'VERSION:4.0',
        'FN:No Number',
        'N:Number;No;;;',
        'END:VCARD',
      ].join('\r\n') + '\r\n';
    const response = await upload(ctx, s.tokens.admin, s.slug, file, 'format=vcard');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ created: 2, failed: 1 });
    expect(response.body.errors).toEqual([expect.objectContaining({ line: 14, code: 'number_required' })]);
    const stored = await allContacts(ctx, s.tokens.viewer, s.slug);
    expect(stored).toContainEqual({
      firstName: 'Max',
      lastName: 'Muster',
      company: 'Firma & Co',
      title: null,
      email: null,
      numbers: [{ type: 'work', number: '+49301234567' }],
    });
    expect(stored).toContainEqual({
      firstName: '太郎',
      lastName: '山田',
      company: null,
      title: null,
      email: null,
      numbers: [{ type: 'mobile', number: '+81312345678' }],
    });
  });
});

describe('malformed requests', () => {
  it('refuses an empty body, a multipart form and an unknown format with a clear 400', async () => {
    const url = `/api/v1/tenants/${t.slug}/contacts/import`;
    const auth = { authorization: `Bearer ${t.tokens.admin}` };
    const noBody = await ctx.admin.inject({ method: 'POST', url: `${url}?format=csv`, headers: auth });
    expect([noBody.statusCode, noBody.json().code]).toEqual([400, 'empty_upload']);
    expect((await upload(ctx, t.tokens.admin, t.slug, '', 'format=csv')).body.code).toBe('empty_upload');
    const form = await upload(ctx, t.tokens.admin, t.slug, '--x\r\n\r\nlast_name,work\r\n--x--', 'format=csv', {
      'content-type': 'multipart/form-data; boundary=x',
    });
    expect([form.status, form.body.code]).toEqual([400, 'multipart_not_supported']);
    expect((await upload(ctx, t.tokens.admin, t.slug, 'x', 'format=xlsx')).status).toBe(400);
    expect((await upload(ctx, t.tokens.admin, t.slug, 'x', 'format=csv&duplicates=ignore')).status).toBe(400);
    // Any other content type is read as the raw file.
    const json = await upload(ctx, t.tokens.admin, t.slug, csv(['last_name,work', 'Typed,4799']), 'format=csv', {
      'content-type': 'application/json',
    });
    expect(json.body).toMatchObject({ created: 1 });
    expect(await countRows(ctx, 'contacts', 'tenant_id = ?', [t.tenant.id])).toBe(1);
  });
});
