import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConsoleContext,
  seriousA11yViolations,
  seedConsoleUser,
  seedTenant,
  signIn,
  type ConsoleTestContext,
} from '../../helpers/console.js';

describe('console Devices list', () => {
  let ctx: ConsoleTestContext;
  const sql = (query: string, params: unknown[] = []) => ctx.deps.orm.em.getConnection().execute(query, params);

  beforeAll(async () => {
    ctx = await createConsoleContext();
    const tenant = await seedTenant(ctx, 'dev');
    const other = await seedTenant(ctx, 'dev-other');
    await seedConsoleUser(ctx, 'admin@dev.example', 'admin', tenant);
    await seedConsoleUser(ctx, 'viewer@dev.example', 'viewer', tenant);
    const group = randomUUID();
    const account = randomUUID();
    await sql(`insert into groups (id, tenant_id, name) values (?, ?, 'Sales')`, [group, tenant.id]);
    await sql(
      `insert into accounts (id, tenant_id, home_group_id, extension, sip_username, sip_password, display_name) values (?, ?, ?, '2001', '2001', 'x', 'Alice Able')`,
      [account, tenant.id, group],
    );
    const devices: [string, string, string, string | null][] = [
      ['001565000001', 'yealink', 'T46S', '<img src=x onerror=alert(1)>'],
      ['001565000002', 'yealink', 'T54W', null],
      ['0004f2000003', 'poly', 'VVX450', null],
    ];
    for (const [mac, vendor, model, label] of devices) {
      const id = randomUUID();
      await sql(
        `insert into devices (id, tenant_id, mac, vendor, model, status, overrides, provisioning_secret) values (?, ?, ?, ?, ?, 'active', '{}'::jsonb, 's')`,
        [id, tenant.id, mac, vendor, model],
      );
      if (label)
        await sql(
          `insert into device_lines (id, tenant_id, device_id, line_index, account_id, label) values (?, ?, ?, 1, ?, ?)`,
          [randomUUID(), tenant.id, id, account, label],
        );
    }
    await sql(
      `insert into devices (id, tenant_id, mac, vendor, model, status, overrides, provisioning_secret) values (?, ?, '001565000099', 'yealink', 'T46S', 'active', '{}'::jsonb, 's')`,
      [randomUUID(), other.id],
    );
  });
  afterAll(async () => ctx?.close());

  it('searches and filters on the server, confirms bulk actions with their count; a label stays text', async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    let dialogs = 0;
    page.on('dialog', () => {
      dialogs += 1;
    });
    await signIn(page, ctx.baseUrl, 'admin@dev.example');
    await page.goto(`${ctx.baseUrl}/console/t/dev/devices`);
    expect(await page.locator('tbody tr').count()).toBe(3);
    expect(await page.getByRole('link', { name: 'Clear filters' }).count()).toBe(0);
    expect(await page.locator('tbody').innerText()).toContain('<img src=x onerror=alert(1)>');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel('Search by MAC, label, user, number or model').fill('alice');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=alice/);
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.goto(`${ctx.baseUrl}/console/t/dev/devices?q=00:15:65&vendor=yealink&model=T54W`);
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.goto(`${ctx.baseUrl}/console/t/dev/devices?syncState=never-seen&lastSeen=never`);
    expect(await page.locator('tbody tr').count()).toBe(3);

    await page.locator('input[name=ids]').nth(0).check();
    await page.locator('input[name=ids]').nth(1).check();
    await page.getByRole('button', { name: 'Disable' }).click();
    const dialog = page.getByRole('dialog', { name: 'Disable 2 phones?' });
    await dialog.waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(/\/devices$/), page.keyboard.press('Enter')]);
    expect(await page.locator('#result-line').innerText()).toContain('2 phones disabled');
    expect((await sql(`select count(*)::int as n from devices where status = 'disabled'`))[0]!.n).toBe(2);
    await page.locator('input[name=ids]').nth(2).check();
    await page.getByRole('button', { name: 'Resync' }).click();
    const resync = page.getByRole('dialog', { name: 'Resync 1 phone?' });
    await resync.waitFor();
    expect(await resync.innerText()).toContain('No notifier is configured');
    expect(dialogs).toBe(0);
    await context.close();
  });

  it('shows the firmware a phone reported and filters by it', async () => {
    const [poly] = await sql(`select id, tenant_id from devices where mac = '0004f2000003'`);
    await sql(
      `insert into device_last_seen (device_id, tenant_id, seen_at, ip, user_agent, firmware, model) values (?, ?, now(), '192.0.2.1', ?, '6.4.6.2578', 'VVX450')`,
      [poly!.id, poly!.tenant_id, 'FileTransport PolycomVVX-VVX_450-UA/6.4.6.2578 Type/Application'],
    );
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await signIn(page, ctx.baseUrl, 'viewer@dev.example');
    await page.goto(`${ctx.baseUrl}/console/t/dev/devices`);
    await page.getByLabel('Firmware (as the phone reports it)').fill('6.4.6.2578');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/firmware=6\.4\.6\.2578/);
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody').innerText()).toContain('6.4.6.2578');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.goto(`${ctx.baseUrl}/console/t/dev/devices?firmware=1.0.0`);
    expect(await page.locator('#no-devices').innerText()).toBe('No device matches.');
    await context.close();
  });

  it('viewer sees no controls and a forged POST is 403; another tenant is 404', async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await signIn(page, ctx.baseUrl, 'viewer@dev.example');
    await page.goto(`${ctx.baseUrl}/console/t/dev/devices`);
    expect(await page.locator('input[name=ids]').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const forged = await page.request.post(`${ctx.baseUrl}/console/t/dev/devices/bulk`, {
      form: { _csrf: csrf, action: 'delete' },
    });
    expect(forged.status()).toBe(403);
    expect((await page.goto(`${ctx.baseUrl}/console/t/dev-other/devices`))!.status()).toBe(404);
    await context.close();
  });
});
