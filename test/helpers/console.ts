import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { createConsoleUser } from '#src/modules/console/console-users.service.js';
import type { TokenRole } from '#src/model/auth/api-token.entity.js';
import { Tenant } from '#src/model/directory/tenant.entity.js';
import { CHROMIUM } from '../setup/chromium.js';
import { createTestContext, type TestContext } from './context.js';

export const PASSWORD = 'correct horse battery staple';

export interface ConsoleTestContext extends TestContext {
  /** http://127.0.0.1:<port> of the admin app, listening for real. */
  baseUrl: string;
  browser: Browser;
}

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The admin app on a free port and one Chromium for the whole test file. */
export async function createConsoleContext(env: Record<string, string> = {}): Promise<ConsoleTestContext> {
  const problem = inject('chromiumProblem');
  if (problem) throw new Error(problem);
  const ctx = await createTestContext(env);
  const address = await ctx.admin.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  return {
    ...ctx,
    baseUrl: address,
    browser,
    close: async () => {
      await browser.close();
      await ctx.close();
    },
  };
}

export async function seedTenant(ctx: TestContext, slug: string, maxAccounts = 2000): Promise<Tenant> {
  const em = ctx.deps.orm.em.fork();
  const tenant = em.create(Tenant, { slug, name: `Tenant ${slug}`, maxAccounts });
  await em.flush();
  return tenant;
}

export async function seedConsoleUser(
  ctx: TestContext,
  email: string,
  role: TokenRole,
  tenant: Tenant | null,
): Promise<void> {
  const em = ctx.deps.orm.em.fork();
  await createConsoleUser(em as never, {
    email,
    password: PASSWORD,
    role,
    tenant: tenant ? em.getReference(Tenant, tenant.id) : null,
  });
}

export async function signIn(page: Page, baseUrl: string, email: string, password = PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/console/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
}

/** The accessibility scan every console screen passes: no serious or critical axe violation. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  const { AxeBuilder } = await import('@axe-core/playwright');
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
    );
}
