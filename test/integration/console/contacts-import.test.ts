import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { Contact } from '#src/model/contacts/contact.entity.js';
import {
  createConsoleContext,
  seriousA11yViolations,
  seedConsoleUser,
  seedTenant,
  signIn,
  type ConsoleTestContext,
} from '../../helpers/console.js';

const FILE =
  [
    'first_name,last_name,company,work',
    'Grace,Hopper,Navy,+4930111222',
    'Bad,Number,,not-a-number',
    ',,,+4930333444',
    'Alan,Turing,,+4930555666',
  ].join('\r\n') + '\r\n';

describe('console contacts import wizard', () => {
  let ctx: ConsoleTestContext;
  let tenantId: string;

  beforeAll(async () => {
    ctx = await createConsoleContext();
    tenantId = (await seedTenant(ctx, 'imp')).id;
    await seedTenant(ctx, 'imp-other');
    await seedConsoleUser(ctx, 'admin@imp.example', 'admin', { id: tenantId } as never);
    await seedConsoleUser(ctx, 'viewer@imp.example', 'viewer', { id: tenantId } as never);
  });
  afterAll(async () => ctx?.close());

  const count = () => ctx.deps.orm.em.fork().count(Contact, { tenant: tenantId });

  async function uploadPreview(page: Page): Promise<void> {
    await page.goto(`${ctx.baseUrl}/console/t/imp/contacts`);
    await page.getByRole('button', { name: 'Import' }).click();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel('Format').selectOption('csv');
    await page
      .getByLabel('File')
      .setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(FILE) });
    await Promise.all([
      page.waitForURL(/\/import\/[0-9a-f-]{36}$/),
      page.getByRole('button', { name: 'Upload' }).click(),
    ]);
  }

  it('previews bad rows with line numbers, Cancel writes nothing; Confirm runs it to the result; refused rows download', async () => {
    const page = await (await ctx.browser.newContext()).newPage();
    await signIn(page, ctx.baseUrl, 'admin@imp.example');
    await uploadPreview(page);
    const refused = await page.locator('#refused-rows').innerText();
    expect(refused).toMatch(/\b3\b.*not a valid phone number/);
    expect(refused).toMatch(/\b4\b.*name/);
    expect(await page.getByRole('row', { name: /Would be created 2/ }).count()).toBe(1);
    // The first rows that would be created, by line, with what would be stored.
    const created = await page.locator('#rows-created tbody tr').allInnerTexts();
    expect(created.map((row) => row.split('\t').map((cell) => cell.trim()))).toEqual([
      ['2', 'Grace Hopper', 'Navy', '+4930111222'],
      ['5', 'Alan Turing', '', '+4930555666'],
    ]);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(/\/contacts$/), page.getByRole('button', { name: 'Cancel' }).click()]);
    expect(await count()).toBe(0);

    await uploadPreview(page);
    await Promise.all([
      page.waitForURL(/\/imports\/[0-9a-f-]{36}$/),
      page.getByRole('button', { name: 'Confirm' }).click(),
    ]);
    const bar = page.getByRole('progressbar', { name: 'Import progress' });
    await page.locator('#import-result').waitFor();
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    expect(await page.getByRole('row', { name: /Created 2/ }).count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await count()).toBe(2);
    const href = await page.getByRole('link', { name: 'Download the refused rows (CSV)' }).getAttribute('href');
    const csv = await page.request.get(`${ctx.baseUrl}${href}`);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const text = await csv.text();
    expect(text.split(/\r?\n/)[0]).toBe('line,field,code,message');
    expect(text).toMatch(/^3,/m);
    // Another tenant's import id is not found.
    const id = /imports\/([0-9a-f-]{36})/.exec(page.url())![1];
    expect((await page.request.get(`${ctx.baseUrl}/console/t/imp-other/contacts/imports/${id}`)).status()).toBe(404);
    await page.context().close();
  });

  it('a viewer sees no Import control and a forged upload gets 403', async () => {
    const page = await (await ctx.browser.newContext()).newPage();
    await signIn(page, ctx.baseUrl, 'viewer@imp.example');
    await page.goto(`${ctx.baseUrl}/console/t/imp/contacts`);
    expect(await page.getByRole('button', { name: 'Import' }).count()).toBe(0);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const forged = await page.request.post(`${ctx.baseUrl}/console/t/imp/contacts/import`, {
      headers: { 'x-csrf-token': csrf },
      multipart: { format: 'csv', file: { name: 'x.csv', mimeType: 'text/csv', buffer: Buffer.from(FILE) } },
    });
    expect(forged.status()).toBe(403);
    expect(await count()).toBe(2);
    await page.context().close();
  });

  it('deletes a preview nobody confirmed or cancelled, with its upload, once it is older than a day', async () => {
    const dir = join(ctx.deps.config.dataDir, 'console-imports');
    const [stale, fresh] = [randomUUID(), randomUUID()];
    const draft = JSON.stringify({
      tenantId,
      format: 'csv',
      fileName: 'old.csv',
      bytes: FILE.length,
      summary: { rowsRead: 0, errors: [] },
    });
    for (const id of [stale, fresh]) {
      await writeFile(join(dir, `${id}.json`), draft);
      await writeFile(join(dir, `${id}.upload`), FILE);
    }
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    for (const name of [`${stale}.json`, `${stale}.upload`]) await utimes(join(dir, name), twoDaysAgo, twoDaysAgo);
    const page = await (await ctx.browser.newContext()).newPage();
    await signIn(page, ctx.baseUrl, 'admin@imp.example');
    expect((await page.request.get(`${ctx.baseUrl}/console/t/imp/contacts/import/${stale}`)).status()).toBe(200);
    await uploadPreview(page);
    expect([existsSync(join(dir, `${stale}.json`)), existsSync(join(dir, `${stale}.upload`))]).toEqual([false, false]);
    expect([existsSync(join(dir, `${fresh}.json`)), existsSync(join(dir, `${fresh}.upload`))]).toEqual([true, true]);
    expect((await page.request.get(`${ctx.baseUrl}/console/t/imp/contacts/import/${stale}`)).status()).toBe(404);
    await page.context().close();
  });
});
