import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConsoleContext,
  PASSWORD,
  seedConsoleUser,
  seedTenant,
  signIn,
  type ConsoleTestContext,
} from '../../helpers/console.js';

describe('console sign-in, sessions, CSRF', () => {
  let ctx: ConsoleTestContext;

  beforeAll(async () => {
    // Idle expiry of 2 s so the expiry test only has to wait past it.
    ctx = await createConsoleContext({ PROVD_CONSOLE_IDLE_SECONDS: '2' });
    const tenant = await seedTenant(ctx, 'acme');
    await seedConsoleUser(ctx, 'Owner@Acme.example', 'owner', tenant);
    await seedConsoleUser(ctx, 'victim@acme.example', 'admin', tenant);
  });
  afterAll(async () => ctx?.close());

  /** One sign-in POST from `address` (a fresh cookie and CSRF token each time); returns the status. */
  async function injectSignIn(address: string, email: string, password: string): Promise<number> {
    const form = await ctx.admin.inject({ method: 'GET', url: '/console/sign-in', remoteAddress: address });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const setCookie = form.headers['set-cookie'];
    const cookie = (Array.isArray(setCookie) ? setCookie : [String(setCookie)])
      .map((line) => line.split(';')[0])
      .join('; ');
    const response = await ctx.admin.inject({
      method: 'POST',
      url: '/console/sign-in',
      remoteAddress: address,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
    });
    return response.statusCode;
  }

  it('signs in (email in any case) and lands on Groups & Accounts; the cookie is HttpOnly and SameSite=Lax', async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await signIn(page, ctx.baseUrl, 'OWNER@acme.example');
    expect(new URL(page.url()).pathname).toBe('/console/t/acme/groups');
    await expect(page.getByRole('heading', { name: 'Groups & Accounts' }).isVisible()).resolves.toBe(true);
    const cookie = (await context.cookies()).find((c) => c.name === 'provd_console')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForLoadState();
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await page.goto(`${ctx.baseUrl}/console/t/acme/groups`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await context.close();
  });

  it('answers an unknown user and a wrong password with the same message and status', async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    const texts: string[] = [];
    for (const [email, password] of [
      ['nobody@acme.example', PASSWORD],
      ['owner@acme.example', 'wrong password!!'],
    ] as const) {
      await page.goto(`${ctx.baseUrl}/console/sign-in`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      expect(response.status()).toBe(401);
      texts.push(await page.locator('#sign-in-error').innerText());
    }
    expect(texts[0]).toBe('Email or password is not correct.');
    expect(texts[1]).toBe(texts[0]);
    await context.close();
  });

  it('locks an account after 5 failures from one address, even for the right password, with a lock that expires', async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    for (let attempt = 0; attempt < 5; attempt += 1)
      await signIn(page, ctx.baseUrl, 'victim@acme.example', 'not the password');
    await signIn(page, ctx.baseUrl, 'victim@acme.example');
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    expect(await page.locator('#sign-in-error').innerText()).toMatch(/Too many failed sign-ins/);
    const pairKey = `${ctx.config.queuePrefix}:console:{signin}:pair:127.0.0.1:victim@acme.example`;
    const ttl = await ctx.deps.redis.ttl(pairKey);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(900);
    // The lock ending (the key expiring) lets the real user in again.
    await ctx.deps.redis.del(pairKey);
    await signIn(page, ctx.baseUrl, 'victim@acme.example');
    expect(new URL(page.url()).pathname).toBe('/console/t/acme/groups');
    await context.close();
  });

  it('an attacker failing from other addresses cannot lock the real user out of the address they sign in from', async () => {
    // The real user signed in from 127.0.0.1 before (the browser): that address is known.
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await signIn(page, ctx.baseUrl, 'owner@acme.example');
    expect(new URL(page.url()).pathname).toBe('/console/t/acme/groups');
    await context.close();
    // Ten attacker addresses, five failures each: every pair locked, the account's limit (50) reached.
    for (let host = 1; host <= 10; host += 1) {
      for (let attempt = 0; attempt < 5; attempt += 1)
        expect(await injectSignIn(`10.0.0.${host}`, 'owner@acme.example', 'guessing wrong!')).toBe(401);
    }
    // The attacker's own addresses are locked, the right password included ...
    expect(await injectSignIn('10.0.0.1', 'owner@acme.example', PASSWORD)).toBe(429);
    // ... and so is an address the account never signed in from, while the attack lasts ...
    expect(await injectSignIn('10.9.9.9', 'owner@acme.example', PASSWORD)).toBe(429);
    // ... but the real user still signs in from where they signed in before.
    expect(await injectSignIn('127.0.0.1', 'owner@acme.example', PASSWORD)).toBe(303);
  });

  it('ends an idle session: the next page is the sign-in page with a notice', async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await signIn(page, ctx.baseUrl, 'owner@acme.example');
    expect(new URL(page.url()).pathname).toBe('/console/t/acme/groups');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await page.reload();
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    expect(await page.getByRole('status').innerText()).toMatch(/session has ended/);
    await context.close();
  });

  it('refuses a forged cross-site POST (no CSRF token) with 403 csrf_invalid and writes nothing', async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await signIn(page, ctx.baseUrl, 'owner@acme.example');
    // Same cookies as the signed-in browser, a body without the form's token.
    const response = await page.request.post(`${ctx.baseUrl}/console/t/acme/groups`, {
      form: { name: 'forged' },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);
    expect(response.headers()['x-error-code']).toBe('csrf_invalid');
    const withWrongToken = await page.request.post(`${ctx.baseUrl}/console/t/acme/groups`, {
      form: { name: 'forged', _csrf: 'x'.repeat(40) },
      maxRedirects: 0,
    });
    expect(withWrongToken.status()).toBe(403);
    const count = await ctx.deps.orm.em
      .fork()
      .getConnection()
      .execute(`select count(*)::int as n from groups where name = 'forged'`);
    expect(count[0].n).toBe(0);
    await context.close();
  });

  it('changes the password: a weak one is refused next to the field, a good one signs in afterwards', async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await signIn(page, ctx.baseUrl, 'owner@acme.example');
    await page.goto(`${ctx.baseUrl}/console/password`);
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel(/^New password/).fill('short');
    await page.getByLabel('Repeat the new password').fill('short');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.locator('#next-error').innerText()).toMatch(/at least 12/);
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel(/^New password/).fill('a much longer passphrase');
    await page.getByLabel('Repeat the new password').fill('a much longer passphrase');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.getByRole('status').innerText()).toBe('Changes Saved');
    const other = await ctx.browser.newContext();
    const second = await other.newPage();
    await signIn(second, ctx.baseUrl, 'owner@acme.example', 'a much longer passphrase');
    expect(new URL(second.url()).pathname).toBe('/console/t/acme/groups');
    await other.close();
    await context.close();
  });
});
