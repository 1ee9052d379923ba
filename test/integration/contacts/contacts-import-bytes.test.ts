import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '#src/modules/contacts/import/import-runner.js';
import { countRows, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { upload } from './support.js';

// Any byte sequence in an uploaded file gets a clear per-row or per-file error and an import
// record, never a 500 (Postgres refuses NUL in text, which once failed the import after its
// contacts were committed).
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

async function tenant(slug: string): Promise<SeededTenant> {
  return seedTenant(ctx, slug, { defaultCountry: 'DE' });
}

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('contacts import: any byte sequence', () => {
  it('a NUL in the header refuses the file with invalid_header, imports nothing and keeps a record', async () => {
    const s = await tenant('bytes-header');
    const file = bytes(
      'first_name,last_name,work,No',
      [0],
      'tes\r\n',
      'Ann,Lee,+49301111111,x\r\n',
      'Bob,Lee,+49302222222,y\r\n',
    );
    const importsBefore = await countRows(ctx, 'contact_imports', 'tenant_id = ?', [s.tenant.id]);
    const response = await upload(ctx, s.tokens.admin, s.slug, file, 'format=csv');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'done', created: 0, merged: 0 });
    expect(response.body.errors).toEqual([
      expect.objectContaining({ line: 1, field: 'header', code: 'invalid_header' }),
    ]);
    expect(response.body.errors[0].message).toContain('U+0000');
    expect(JSON.stringify(response.body)).not.toContain('\\u0000');
    expect(await countRows(ctx, 'contacts', 'tenant_id = ?', [s.tenant.id])).toBe(0);
    expect(await countRows(ctx, 'contact_imports', 'tenant_id = ?', [s.tenant.id])).toBe(importsBefore + 1);
  });

  it('a NUL or another control character in a cell refuses that row with invalid_text; the others import', async () => {
    const s = await tenant('bytes-cell');
    const file = bytes(
      'first_name,last_name,work\r\n',
      'Ann,Le',
      [0],
      'e,+49301111111\r\n',
      'Bell,Ri',
      [7],
      'nger,+49303333333\r\n',
      'Bob,Lee,+49302222222\r\n',
    );
    const response = await upload(ctx, s.tokens.admin, s.slug, file, 'format=csv');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'done', created: 1, failed: 2 });
    expect(response.body.errors).toEqual([
      expect.objectContaining({ line: 2, field: 'lastName', code: 'invalid_text' }),
      expect.objectContaining({ line: 3, field: 'lastName', code: 'invalid_text' }),
    ]);
    const names = (await s.viewer.get(`/api/v1/tenants/${s.slug}/contacts`)).body.items.map(
      (c: { firstName: string }) => c.firstName,
    );
    expect(names).toEqual(['Bob']);
  });

  it('bytes that are not UTF-8 refuse their row with invalid_encoding; the others import', async () => {
    const s = await tenant('bytes-utf8');
    const file = bytes(
      'first_name,last_name,work\r\n',
      'Ann,M',
      [0xfc],
      'ller,+49301111111\r\n',
      'Bob,',
      [0xc3, 0x28],
      ',+49302222222\r\n',
      'Cy,Lee,+49303333333\r\n',
    );
    const response = await upload(ctx, s.tokens.admin, s.slug, file, 'format=csv');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'done', created: 1, failed: 2 });
    expect(response.body.errors.map((e: { line: number; code: string }) => [e.line, e.code])).toEqual([
      [2, 'invalid_encoding'],
      [3, 'invalid_encoding'],
    ]);
    expect(await countRows(ctx, 'contacts', 'tenant_id = ?', [s.tenant.id])).toBe(1);
  });

  it('a UTF-8 byte order mark is read as such, before the first header', async () => {
    const s = await tenant('bytes-bom');
    const file = bytes([0xef, 0xbb, 0xbf], 'Vorname,Nachname,Telefon\r\n', 'Jürgen,Groß,030 1234567\r\n');
    const response = await upload(ctx, s.tokens.admin, s.slug, file, 'format=csv');
    expect(response.body).toMatchObject({ status: 'done', created: 1, failed: 0, errorCount: 0 });
    const [contact] = (await s.viewer.get(`/api/v1/tenants/${s.slug}/contacts`)).body.items;
    expect(contact).toMatchObject({ firstName: 'Jürgen', lastName: 'Groß' });
  });

  it('a NUL inside a vCard refuses that card; the API refuses a NUL in a contact name', async () => {
    const s = await tenant('bytes-vcard');
    const card = (name: string, tel: string) =>
      `BEGIN:VCARD\r\nVERSION:4.0\r\nFN:${name}\r\nN:${name};;;;\r\nTEL;TYPE=work:${tel}\r\nEND:VCARD\r\n`;
    const file = bytes(card('Ann\u0000Lee', '+49301111111'), card('Bob', '+49302222222'));
    const response = await upload(ctx, s.tokens.admin, s.slug, file, 'format=vcard');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'done', created: 1, failed: 1 });
    expect(response.body.errors).toEqual([expect.objectContaining({ line: 1, code: 'invalid_text' })]);
    const api = await s.admin.post(`/api/v1/tenants/${s.slug}/contacts`, {
      lastName: 'Ann\u0000Lee',
      numbers: [{ type: 'work', number: '+49301111111' }],
    });
    expect(api.status).toBe(400);
    expect(api.body.details.errors).toEqual([expect.objectContaining({ field: 'lastName', code: 'invalid_text' })]);
  });

  it('a job import records the same refusals on its import row (the progress path writes them)', async () => {
    const s = await tenant('bytes-job');
    const knex = ctx.deps.orm.em.getKnex();
    const [{ id }] = (
      await knex.raw(
        `insert into contact_imports (id, tenant_id, format, dry_run, duplicates, status, created_at, updated_at)
       values (gen_random_uuid(), ?, 'csv', false, 'merge', 'running', now(), now()) returning id`,
        [s.tenant.id],
      )
    ).rows;
    const file = bytes(
      'first_name,last_name,work\r\n',
      'Ann,Le',
      [0],
      'e,+49301111111\r\n',
      'Bob,',
      [0xff],
      ',+49302222222\r\n',
      'Cy,Lee,+49303333333\r\n',
    );
    await runImport(knex, [file], {
      tenantId: s.tenant.id,
      format: 'csv',
      dryRun: false,
      duplicates: 'merge',
      phonebookId: null,
      defaultCountry: 'DE',
      importId: id,
      batchSize: 1,
    });
    const [row] = (await knex.raw(`select created, failed, errors from contact_imports where id = ?`, [id])).rows;
    expect(row).toMatchObject({ created: 1, failed: 2 });
    expect(row.errors.map((e: { line: number; code: string }) => [e.line, e.code])).toEqual([
      [2, 'invalid_text'],
      [3, 'invalid_encoding'],
    ]);
  });
});
