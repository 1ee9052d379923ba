import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { allContacts, csv, download, upload } from './support.js';

let ctx: TestContext;
let source: SeededTenant;

const HOSTILE = [
  '=SUM(A1:A9)',
  '+cmd|" /C calc"!A0',
  '-2+3',
  '@SUM(1)',
  "'=already quoted",
  `& < > " '`,
  ']]>',
  'Zoë Ångström-Müller',
  '山田 太郎',
  '🎉 Party 👩‍👩‍👧',
  'שלום עליכם\u200F',
  'مرحبا',
  'a,b;c\\d|e',
  '"quoted"',
  'END:VCARD',
  'line\\nbreak',
];

beforeAll(async () => {
  ctx = await createTestContext();
  source = await seedTenant(ctx, 'exp-src', { defaultCountry: 'DE' });
  const url = `/api/v1/tenants/${source.slug}/contacts`;
  for (const [i, text] of HOSTILE.entries()) {
    const response = await source.admin.post(url, {
      firstName: text,
      lastName: HOSTILE[(i + 3) % HOSTILE.length],
      company: HOSTILE[(i + 7) % HOSTILE.length],
      title: i % 2 ? text : null,
      email: i % 3 ? null : `person${i}@example.com`,
      numbers: [
        { type: 'work', number: `+4930${String(5000000 + i)}` },
        { type: 'work', number: `+4930${String(6000000 + i)}` },
        { type: 'mobile', number: `+49171${String(5000000 + i)}` },
        { type: 'other', number: String(700 + i) },
        ...(i % 4 === 0
          ? [
              { type: 'fax', number: `+4930${String(7000000 + i)}` },
              { type: 'home', number: `+3312345678${i % 10}` },
            ]
          : []),
      ],
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  }
  // A company without a person, and a person without a company.
  await source.admin.post(url, { company: 'Only A Company', numbers: [{ type: 'work', number: '+4930999999' }] });
  await source.admin.post(url, { lastName: 'Solo', numbers: [{ type: 'home', number: '42' }] });
});
afterAll(async () => ctx?.close());

describe('export', () => {
  it('streams CSV as an attachment with formula-leading cells neutralised', async () => {
    const response = await download(ctx, source.tokens.admin, source.slug, 'format=csv');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="contacts-${source.slug}.csv"`);
    const lines = response.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('first_name,last_name,company,title,email,work,mobile,home,fax,other');
    expect(lines).toHaveLength(HOSTILE.length + 2 + 2);
    expect(response.body).toContain(`'=SUM(A1:A9)`);
    expect(response.body).toContain(`"'+cmd|"" /C calc""!A0"`);
    expect(response.body).toContain(`'-2+3`);
    expect(response.body).toContain(`'@SUM(1)`);
    expect(response.body).not.toMatch(/(^|,)[=+\-@]/m);
  });

  it('streams vCard 4.0 as an attachment', async () => {
    const response = await download(ctx, source.tokens.admin, source.slug, 'format=vcard');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/vcard; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="contacts-${source.slug}.vcf"`);
    expect(response.body.match(/BEGIN:VCARD\r\nVERSION:4\.0\r\n/g)).toHaveLength(HOSTILE.length + 2);
  });

  for (const format of ['csv', 'vcard'] as const) {
    it(`round-trips through ${format}: export, then import into an empty tenant, gives the same contacts`, async () => {
      const target = await seedTenant(ctx, `exp-rt-${format}`, { defaultCountry: 'US' });
      const exported = await download(ctx, source.tokens.admin, source.slug, `format=${format}`);
      const imported = await upload(ctx, target.tokens.admin, target.slug, exported.body, `format=${format}`);
      expect(imported.status).toBe(200);
      expect(imported.body).toMatchObject({ created: HOSTILE.length + 2, merged: 0, failed: 0, errorCount: 0 });
      expect(await allContacts(ctx, target.tokens.viewer, target.slug)).toEqual(
        await allContacts(ctx, source.tokens.viewer, source.slug),
      );
    });
  }

  it('exports one phonebook, or the whole tenant, in stable order across cursor batches', async () => {
    const s = await seedTenant(ctx, 'exp-big', { defaultCountry: 'DE' });
    const book = await s.admin.post(`/api/v1/tenants/${s.slug}/phonebooks`, { name: 'Big' });
    const rows = Array.from(
      { length: 2500 },
      (_, i) => `F${i % 3},Same${Math.floor(i / 3) % 400},+4930${String(3000000 + i)}`,
    );
    const first = await upload(
      ctx,
      s.tokens.admin,
      s.slug,
      csv(['first_name,last_name,work', ...rows]),
      `format=csv&phonebook=${book.body.id}`,
    );
    expect(first.body.created).toBe(2500);
    await upload(
      ctx,
      s.tokens.admin,
      s.slug,
      csv(['first_name,last_name,work', 'Out,Side,+4930999001', 'Out,Side2,+4930999002']),
      'format=csv',
    );
    const names = (body: string) =>
      body
        .replace(/^\uFEFF/, '')
        .split('\r\n')
        .slice(1, -1);
    const inBook = names((await download(ctx, s.tokens.admin, s.slug, `format=csv&phonebook=${book.body.id}`)).body);
    expect(inBook).toHaveLength(2500);
    expect(new Set(inBook).size).toBe(2500);
    const keys = inBook.map((line) => line.split(','));
    const sorted = [...keys].sort((a, b) =>
      a[1]! < b[1]! ? -1 : a[1]! > b[1]! ? 1 : a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0,
    );
    expect(keys.map((k) => `${k[1]} ${k[0]}`)).toEqual(sorted.map((k) => `${k[1]} ${k[0]}`));
    expect(names((await download(ctx, s.tokens.admin, s.slug, 'format=csv')).body)).toHaveLength(2502);
    expect(
      (await download(ctx, s.tokens.admin, s.slug, 'format=csv&phonebook=00000000-0000-4000-8000-000000000000')).status,
    ).toBe(404);
  });
});
