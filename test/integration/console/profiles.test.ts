import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererRegistry } from '#src/app/renderers.js';
import { createAccount } from '#src/modules/accounts/accounts.service.js';
import { Device } from '#src/model/directory/device.entity.js';
import { createGroup } from '#src/modules/groups/groups.service.js';
import { ArtifactEvents } from '#src/modules/pipeline/artifact-events.js';
import { deviceTarget } from '#src/modules/pipeline/fanout.types.js';
import { pipelineMetrics } from '#src/modules/pipeline/pipeline.metrics.js';
import { renderTarget } from '#src/modules/pipeline/render-target.handler.js';
import { bumpTargets } from '#src/modules/pipeline/targets.js';
import { Profile } from '#src/model/directory/profile.entity.js';
import { createProfile } from '#src/modules/profiles/profiles.service.js';
import { Tenant } from '#src/model/directory/tenant.entity.js';
import {
  createConsoleContext,
  seedConsoleUser,
  seedTenant,
  seriousA11yViolations,
  signIn,
  type ConsoleTestContext,
} from '../../helpers/console.js';
import { seedDeviceWithLine } from '../../helpers/directory-seed.js';

const XSS = '<img src=x onerror=alert(1)>';

describe('console Profiles screen', () => {
  let ctx: ConsoleTestContext;
  let tenantId: string;
  let officeId: string;
  let deviceId: string;
  let deviceMac: string;
  let foreignId: string;
  const fork = () => ctx.deps.orm.em.fork() as EntityManager;
  const url = (path: string) => `${ctx.baseUrl}/console/t/prof/profiles${path}`;

  beforeAll(async () => {
    ctx = await createConsoleContext();
    tenantId = (await seedTenant(ctx, 'prof')).id;
    const other = await seedTenant(ctx, 'prof-other');
    const em = fork();
    const tenant = await em.findOneOrFail(Tenant, tenantId);
    await seedConsoleUser(ctx, 'admin@prof.example', 'admin', tenant);
    await seedConsoleUser(ctx, 'viewer@prof.example', 'viewer', tenant);
    const office = await createProfile(em, tenant, {
      name: 'Office',
      settings: { sipServer: 'pbx.example.test', adminPassword: 'S3cret-admin' },
    });
    officeId = office.id;
    const group = await createGroup(em, tenant, { name: 'Sales', profileId: office.id });
    const { account } = await createAccount(em, tenant, { groupId: group.id, extension: '201', displayName: 'Ann' });
    deviceId = (await seedDeviceWithLine(ctx, tenantId, account.id)).deviceId;
    const device = await em.findOneOrFail(Device, deviceId);
    device.profile = em.getReference(Profile, office.id);
    await em.flush();
    deviceMac = device.mac;
    foreignId = (await createProfile(em, other, { name: 'Foreign' })).id;
  });
  afterAll(async () => ctx?.close());

  async function adminPage(): Promise<Page> {
    const page = await (await ctx.browser.newContext()).newPage();
    page.on('dialog', () => {
      throw new Error('a script dialog fired');
    });
    await signIn(page, ctx.baseUrl, 'admin@prof.example');
    return page;
  }

  /** Renders the device as the render worker does and returns its Yealink file. */
  async function deviceFile(): Promise<string> {
    const [target] = await ctx.deps.orm.em
      .getKnex()
      .transaction((trx) => bumpTargets(trx, [deviceTarget(tenantId, deviceId)]));
    await renderTarget(
      {
        orm: ctx.deps.orm,
        queues: ctx.deps.queues,
        renderers: rendererRegistry({ publicPhoneUrl: 'http://phones.test' }),
        events: new ArtifactEvents(ctx.deps.redis, ctx.config.queuePrefix),
        metrics: pipelineMetrics(ctx.deps.metrics.registry),
        logger: ctx.deps.logger,
      },
      target!.id,
    );
    const rows = (
      await ctx.deps.orm.em
        .getKnex()
        .raw(
          `select convert_from(body, 'UTF8') as text from artifacts where target_id = ? and serve_path like '%.cfg'`,
          [target!.id],
        )
    ).rows as { text: string }[];
    return rows.map((row) => row.text).join('\n');
  }

  it("creates a profile (bad settings refused next to the field, nothing written), an edit reaches the phone's file, delete is confirmed and refused while in use", async () => {
    const page = await adminPage();
    await page.getByRole('link', { name: 'Profiles' }).click();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'New profile' }).click();
    await page.getByLabel('Name (required)').fill(XSS);
    await page.getByLabel('SIP port').fill('abc');
    await page.getByLabel('yealink').fill('no equals sign here');
    const [bad] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Create' }).click(),
    ]);
    expect(bad.status()).toBe(400);
    expect(await page.getByLabel('SIP port').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-raw-yealink-error').innerText()).toContain('line 1: write key = value');
    expect(await seriousA11yViolations(page)).toEqual([]);
    // A time zone only the service can check (IANA) is refused next to its field too.
    await page.getByLabel('SIP port').fill('5070');
    await page.getByLabel('yealink').fill('features.dnd.enable = 1');
    await page.getByLabel(/^Time zone/).fill('Mars/Olympus');
    await page.getByRole('button', { name: 'Create' }).click();
    expect(await page.locator('#f-timeZone-error').innerText()).toContain('not an IANA time zone');
    expect(await fork().count(Profile, { tenant: tenantId })).toBe(1);

    await page.getByLabel(/^Time zone/).fill('Europe/Berlin');
    await Promise.all([
      page.waitForURL(/profiles\/[0-9a-f-]{36}$/),
      page.getByRole('button', { name: 'Create' }).click(),
    ]);
    expect(await page.locator('#result-line').innerText()).toContain('Changes Saved');
    expect(await page.locator('#unset-settings').innerText()).toContain('sipServer');
    expect(await page.locator('img').count()).toBe(0);
    const created = await fork().findOneOrFail(Profile, { tenant: tenantId, name: XSS });
    expect(created.settings).toEqual({ sipPort: 5070, timeZone: 'Europe/Berlin' });
    expect(created.rawKeys).toEqual({ yealink: { 'features.dnd.enable': '1' } });

    // Edit the profile the phone uses: the change reaches its file.
    expect(await deviceFile()).not.toContain('ntp.example.test');
    await page.goto(url(`/${officeId}`));
    expect(await page.getByLabel('Phone web admin password').inputValue()).toBe('S3cret-admin');
    await page.getByLabel('NTP server').fill('ntp.example.test');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Save' }).click()]);
    expect(await page.locator('#result-line').innerText()).toBe('Changes Saved');
    expect((await fork().findOneOrFail(Profile, officeId)).settings).toMatchObject({
      sipServer: 'pbx.example.test',
      ntpServer: 'ntp.example.test',
    });
    expect(await deviceFile()).toContain('ntp.example.test');

    // In use: the pop-up lists the group and the device and says the delete is refused.
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete profile Office?' });
    await dialog.waitFor();
    const text = await dialog.innerText();
    expect(text).toContain('Group Sales');
    expect(text).toContain(`Device ${deviceMac}`);
    expect(text).toContain('the profile is still used');
    expect(text).toContain("uses its group's profile, else the tenant default profile");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await Promise.all([page.waitForEvent('load'), dialog.getByRole('button', { name: 'OK' }).click()]);
    expect(await page.locator('#result-line').innerText()).toContain('Not deleted: the profile is still used');
    expect(await fork().count(Profile, { id: officeId })).toBe(1);

    await page.goto(url(''));
    await page.getByLabel('Search by name').fill('img');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Search' }).click()]);
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.getByRole('link', { name: `Delete ${XSS}` }).click();
    await page
      .getByRole('dialog', { name: `Delete profile ${XSS}?` })
      .getByRole('button', { name: 'OK' })
      .click();
    await page.waitForSelector('#result-line');
    expect(await page.locator('#result-line').innerText()).toContain(`Profile ${XSS} deleted`);
    expect(await fork().count(Profile, { id: created.id })).toBe(0);
    await page.context().close();
  });

  it("a viewer sees masked secrets and no write controls, a forged POST is 403; another tenant's id is 404", async () => {
    const page = await (await ctx.browser.newContext()).newPage();
    await signIn(page, ctx.baseUrl, 'viewer@prof.example');
    await page.goto(url(''));
    expect(await page.getByRole('button', { name: 'New profile' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /^Delete/ }).count()).toBe(0);
    await page.getByRole('link', { name: 'View Office' }).click();
    expect(await page.getByRole('button', { name: /Save|Delete/ }).count()).toBe(0);
    expect(await page.content()).not.toContain('S3cret-admin');
    expect(await seriousA11yViolations(page)).toEqual([]);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    expect((await page.request.post(url(''), { form: { _csrf: csrf, name: 'Forged' } })).status()).toBe(403);
    expect((await page.request.post(url(`/${officeId}`), { form: { _csrf: csrf, name: 'Forged' } })).status()).toBe(
      403,
    );
    expect((await page.request.post(url(`/${officeId}/delete`), { form: { _csrf: csrf } })).status()).toBe(403);
    expect((await fork().findOneOrFail(Profile, officeId)).name).toBe('Office');
    await page.context().close();

    const admin = await adminPage();
    expect((await admin.goto(url(`/${foreignId}`)))!.status()).toBe(404);
    expect((await admin.goto(url(`/${foreignId}/delete`)))!.status()).toBe(404);
    await admin.context().close();
  });
});
