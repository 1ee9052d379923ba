import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleLink } from '#src/modules/console/console-link.entity.js';
import { ConsoleUser } from '#src/modules/console/console-user.entity.js';
import { createToken } from '../../helpers/api.js';
import { eventually } from '../../helpers/eventually.js';
import {
  createConsoleContext,
  PASSWORD,
  seedConsoleUser,
  seedTenant,
  seriousA11yViolations,
  signIn,
  type ConsoleTestContext,
} from '../../helpers/console.js';

const XSS = '<img/src=x/onerror=alert(1)>@evil.example';

describe('Settings → Console users: invite, reset, role, remove; one-time links; audit actor', () => {
  let ctx: ConsoleTestContext;
  let otherUserId: string;

  beforeAll(async () => {
    ctx = await createConsoleContext();
    const tenant = await seedTenant(ctx, 'ppl');
    const other = await seedTenant(ctx, 'other');
    await seedConsoleUser(ctx, 'owner@ppl.example', 'owner', tenant);
    await seedConsoleUser(ctx, 'admin@ppl.example', 'admin', tenant);
    await seedConsoleUser(ctx, 'viewer@ppl.example', 'viewer', tenant);
    await seedConsoleUser(ctx, 'someone@other.example', 'owner', other);
    otherUserId = (await ctx.deps.orm.em.fork().findOneOrFail(ConsoleUser, { email: 'someone@other.example' })).id;
  });
  afterAll(async () => ctx?.close());

  const users = '/console/t/ppl/settings/users';
  const idOf = async (email: string) => (await ctx.deps.orm.em.fork().findOneOrFail(ConsoleUser, { email })).id;

  async function invite(page: Page, email: string, role: string): Promise<string> {
    await page.goto(`${ctx.baseUrl}${users}`);
    await page.getByLabel('Email (required)').fill(email);
    await page.getByLabel('Role', { exact: true }).selectOption(role);
    await page.getByRole('button', { name: 'Invite' }).click();
    await page.waitForLoadState();
    return page.locator('#one-time-link-url').inputValue();
  }

  async function setPassword(page: Page, url: string, password: string): Promise<number> {
    const opened = await page.goto(url);
    if (opened!.status() !== 200) return opened!.status();
    await page.getByLabel(/^New password/).fill(password);
    await page.getByLabel('Repeat the password').fill(password);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Set password and sign in' }).click(),
    ]);
    await page.waitForLoadState();
    return response.status();
  }

  it('an invitation link works once: the person sets a password and is signed in; the second use is refused', async () => {
    const owner = await ctx.browser.newContext();
    const page = await owner.newPage();
    await signIn(page, ctx.baseUrl, 'owner@ppl.example');
    await page.getByRole('link', { name: 'Settings' }).click();
    expect(new URL(page.url()).pathname).toBe(users);
    expect(await seriousA11yViolations(page)).toEqual([]);
    const url = await invite(page, 'new.admin@ppl.example', 'admin');
    expect(url).toMatch(/\/console\/accept\/[A-Za-z0-9_-]{43}$/);
    expect(await page.locator('#result-line').innerText()).toMatch(/Changes Saved/);
    expect(await page.getByRole('row', { name: /new\.admin@ppl\.example/ }).innerText()).toMatch(/invitation pending/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    // Only the hash is stored.
    const link = await ctx.deps.orm.em.fork().findOneOrFail(ConsoleLink, { kind: 'invite' });
    expect(link.tokenHash).not.toContain(url.split('/').pop());
    // The link is shown once.
    await page.reload();
    expect(await page.locator('#one-time-link').count()).toBe(0);

    const person = await ctx.browser.newContext();
    const invited = await person.newPage();
    await invited.goto(url);
    expect(await seriousA11yViolations(invited)).toEqual([]);
    expect(await setPassword(invited, url, 'short')).toBe(400);
    expect(await invited.locator('#password-error').innerText()).toMatch(/at least 12/);
    expect(await setPassword(invited, url, 'a fine new passphrase')).toBe(303);
    expect(new URL(invited.url()).pathname).toBe('/console/t/ppl/groups');
    expect(await setPassword(invited, url, 'another passphrase!')).toBe(404);
    expect(await invited.locator('#link-invalid').innerText()).toMatch(/not valid/);
    await person.close();
    const again = await ctx.browser.newContext();
    const second = await again.newPage();
    await signIn(second, ctx.baseUrl, 'new.admin@ppl.example', 'a fine new passphrase');
    expect(new URL(second.url()).pathname).toBe('/console/t/ppl/groups');
    await again.close();
    await owner.close();
  });

  it('an expired link is refused; a reset link sets a new password and the old one stops working', async () => {
    const owner = await ctx.browser.newContext();
    const page = await owner.newPage();
    await signIn(page, ctx.baseUrl, 'owner@ppl.example');
    const expired = await invite(page, 'late@ppl.example', 'viewer');
    await ctx.deps.orm.em
      .fork()
      .getConnection()
      .execute(`update console_links set expires_at = now() - interval '1 second' where used_at is null`);
    const person = await ctx.browser.newContext();
    const other = await person.newPage();
    expect(await setPassword(other, expired, 'a fine new passphrase')).toBe(404);

    await page.goto(`${ctx.baseUrl}${users}`);
    await page.getByRole('button', { name: 'Reset password of viewer@ppl.example' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#one-time-link-title').innerText()).toMatch(
      /Password reset link for viewer@ppl\.example/,
    );
    const reset = await page.locator('#one-time-link-url').inputValue();
    expect(await setPassword(other, reset, 'a third passphrase ok')).toBe(303);
    await person.close();
    const check = await ctx.browser.newContext();
    const signed = await check.newPage();
    await signIn(signed, ctx.baseUrl, 'viewer@ppl.example', PASSWORD);
    expect(new URL(signed.url()).pathname).toBe('/console/sign-in');
    await signIn(signed, ctx.baseUrl, 'viewer@ppl.example', 'a third passphrase ok');
    expect(new URL(signed.url()).pathname).toBe('/console/t/ppl/groups');
    await check.close();
    await owner.close();
  });

  it('the last owner cannot be demoted or removed; role change and remove work otherwise', async () => {
    const owner = await ctx.browser.newContext();
    const page = await owner.newPage();
    await signIn(page, ctx.baseUrl, 'owner@ppl.example');
    await page.goto(`${ctx.baseUrl}${users}`);
    await page.getByLabel('Role of owner@ppl.example', { exact: true }).selectOption('admin');
    const [demote] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Change role of owner@ppl.example' }).click(),
    ]);
    expect(demote.status()).toBe(409);
    expect(await page.locator('#action-error').innerText()).toMatch(/last owner/);
    expect((await ctx.deps.orm.em.fork().findOneOrFail(ConsoleUser, { email: 'owner@ppl.example' })).role).toBe(
      'owner',
    );
    await page.getByRole('link', { name: 'Remove owner@ppl.example' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove owner@ppl.example?' });
    await dialog.waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    const [remove] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      dialog.getByRole('button', { name: 'Remove' }).click(),
    ]);
    expect(remove.status()).toBe(409);
    expect(await page.locator('#action-error').innerText()).toMatch(/last owner/);

    await page.getByLabel('Role of admin@ppl.example', { exact: true }).selectOption('viewer');
    await page.getByRole('button', { name: 'Change role of admin@ppl.example' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#result-line').innerText()).toMatch(/admin@ppl\.example is viewer now/);
    await page.getByRole('link', { name: 'Remove late@ppl.example' }).click();
    await page.getByRole('dialog').waitFor();
    await Promise.all([
      page.waitForURL(/\/settings\/users$/),
      page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click(),
    ]);
    expect(await page.locator('#result-line').innerText()).toMatch(/late@ppl\.example removed/);
    expect(await ctx.deps.orm.em.fork().count(ConsoleUser, { email: 'late@ppl.example' })).toBe(0);
    await owner.close();
  });

  it("admins and viewers see the list without controls and a forged POST is 403; another tenant's user is 404", async () => {
    for (const email of ['viewer@ppl.example', 'new.admin@ppl.example']) {
      const context = await ctx.browser.newContext();
      const page = await context.newPage();
      await signIn(
        page,
        ctx.baseUrl,
        email,
        email.startsWith('viewer') ? 'a third passphrase ok' : 'a fine new passphrase',
      );
      await page.goto(`${ctx.baseUrl}${users}`);
      expect(await page.getByRole('row', { name: /owner@ppl\.example/ }).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Invite' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /Change role/ }).count()).toBe(0);
      expect(await seriousA11yViolations(page)).toEqual([]);
      const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
      const ownerId = await idOf('owner@ppl.example');
      for (const [path, form] of [
        [users, { email: 'forged@ppl.example', role: 'owner' }],
        [`${users}/${ownerId}/role`, { role: 'viewer' }],
        [`${users}/${ownerId}/reset`, {}],
        [`${users}/${ownerId}/delete`, {}],
      ] as const) {
        const response = await page.request.post(`${ctx.baseUrl}${path}`, {
          form: { ...form, _csrf: csrf },
          maxRedirects: 0,
        });
        expect(response.status()).toBe(403);
      }
      await context.close();
    }
    expect(await ctx.deps.orm.em.fork().count(ConsoleUser, { email: 'forged@ppl.example' })).toBe(0);
    expect(await ctx.deps.orm.em.fork().count(ConsoleLink, { user: await idOf('owner@ppl.example') })).toBe(0);

    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await signIn(page, ctx.baseUrl, 'owner@ppl.example');
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    expect((await page.goto(`${ctx.baseUrl}${users}/${otherUserId}/delete`))!.status()).toBe(404);
    for (const action of ['role', 'reset', 'delete']) {
      const response = await page.request.post(`${ctx.baseUrl}${users}/${otherUserId}/${action}`, {
        form: { role: 'viewer', _csrf: csrf },
        maxRedirects: 0,
      });
      expect(response.status()).toBe(404);
    }
    expect((await ctx.deps.orm.em.fork().findOneOrFail(ConsoleUser, { id: otherUserId })).role).toBe('owner');
    await context.close();
  });

  it('an email with markup stays text', async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    let dialogs = 0;
    page.on('dialog', async (dialog) => {
      dialogs += 1;
      await dialog.dismiss();
    });
    await signIn(page, ctx.baseUrl, 'owner@ppl.example');
    await invite(page, XSS, 'viewer');
    expect(await page.getByRole('row', { name: /evil\.example/ }).innerText()).toContain(XSS);
    expect(await page.locator('#one-time-link-title').innerText()).toContain(XSS);
    expect(await page.locator('table img').count()).toBe(0);
    expect(dialogs).toBe(0);
    await context.close();
  });

  it('audits console actions with the console user as actor: group create, invite, reset, role change, link use', async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await signIn(page, ctx.baseUrl, 'owner@ppl.example');
    await page.goto(`${ctx.baseUrl}/console/t/ppl/groups?new=1`);
    await page.getByLabel('Group Name (required)').fill('Audited group');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForLoadState();
    await context.close();
    const token = await createToken(ctx, 'platform', null);
    const response = await ctx.admin.inject({
      method: 'GET',
      url: '/api/v1/tenants/ppl/audit?limit=200',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(200);
    const items = (
      response.json() as {
        items: {
          entityType: string;
          action: string;
          actor: { name: string; role: string };
          after: Record<string, unknown> | null;
        }[];
      }
    ).items;
    const actorOf = (
      entityType: string,
      action: string,
      match: (after: Record<string, unknown>) => boolean = () => true,
    ) =>
      items
        .filter((item) => item.entityType === entityType && item.action === action && match(item.after ?? {}))
        .map((item) => item.actor.name);
    expect(actorOf('Group', 'create')).toEqual(['console:owner@ppl.example']);
    expect(actorOf('ConsoleUser', 'create', (after) => after.email === 'new.admin@ppl.example')).toEqual([
      'console:owner@ppl.example',
    ]);
    expect(actorOf('ConsoleLink', 'create')).toContain('console:owner@ppl.example');
    expect(actorOf('ConsoleUser', 'update', (after) => after.role === 'viewer')).toEqual(['console:owner@ppl.example']);
    // Using the link is the person's own change; the token's hash and the password are masked.
    expect(actorOf('ConsoleUser', 'update', (after) => after.passwordHash !== undefined)).toContain(
      'console:new.admin@ppl.example',
    );
    expect(JSON.stringify(items)).not.toMatch(/\$argon2id|[0-9a-f]{64}/);
    expect(actorOf('ConsoleUser', 'delete')).toEqual(['console:owner@ppl.example']);
  });

  it('two simultaneous demotions of the last two owners leave one owner: one passes, the other is 409 last_owner', async () => {
    const race = await seedTenant(ctx, 'race');
    await seedConsoleUser(ctx, 'one@race.example', 'owner', race);
    await seedConsoleUser(ctx, 'two@race.example', 'owner', race);
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await signIn(page, ctx.baseUrl, 'one@race.example');
    await page.goto(`${ctx.baseUrl}/console/t/race/settings/users`);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const demote = async (email: string) =>
      page.request.post(`${ctx.baseUrl}/console/t/race/settings/users/${await idOf(email)}/role`, {
        form: { _csrf: csrf, role: 'admin' },
        maxRedirects: 0,
      });
    const waitingOnConsoleUsers = async () =>
      Number(
        (
          await ctx.deps.orm.em
            .fork()
            .getConnection()
            .execute<{ n: string }[]>(
              "select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and query ilike '%console_users%'",
            )
        )[0]!.n,
      );
    // A gate transaction holds the owner rows, so both requests get as far as the database before either goes on:
    // without the service's row lock both read "two owners" and both demotions are written.
    let responses!: Promise<Awaited<ReturnType<typeof demote>>[]>;
    await ctx.deps.orm.em.fork().transactional(async (gate) => {
      await gate.execute("select id from console_users where tenant_id = ? and role = 'owner' for update", [race.id]);
      responses = Promise.all([demote('one@race.example'), demote('two@race.example')]);
      expect(await eventually(waitingOnConsoleUsers, (n) => n >= 2)).toBe(2);
    });
    const statuses = (await responses).map((response) => response.status()).sort();
    expect(statuses).toEqual([303, 409]);
    const refused = (await responses).find((response) => response.status() === 409)!;
    expect(await refused.text()).toMatch(/is the last owner of this tenant/);
    expect(await ctx.deps.orm.em.fork().count(ConsoleUser, { tenant: race.id, role: 'owner' })).toBe(1);
    await context.close();
  });
});
