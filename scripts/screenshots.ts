import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

/**
 * `npm run screenshots -- <console URL> <email> <password>`: signs in to a running console (e.g.
 * the one `npm start` prints) and saves a picture of every screen in the navigation to
 * docs/screenshots/, for the README. Chromium is Debian's (/usr/bin/chromium).
 */
const [
  baseUrl = 'http://127.0.0.1:3000',
  email = 'admin@demo.example',
  password = process.env.PROVD_DEMO_ADMIN_PASSWORD ?? '',
] = process.argv.slice(2);
const out = resolve('docs', 'screenshots');
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${baseUrl}/console/sign-in`);
  await page.screenshot({ path: join(out, 'sign-in.png') });
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.endsWith('/sign-in')),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  const links = await page
    .locator('nav.side a')
    .evaluateAll((anchors) =>
      anchors.map((a) => ({ href: (a as unknown as { href: string }).href, text: a.textContent?.trim() ?? '' })),
    );
  for (const link of links) {
    if (!link.href.includes('/console/')) continue;
    await page.goto(link.href);
    const name = link.text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    await page.screenshot({ path: join(out, `${name}.png`), fullPage: false });
    console.log(`saved docs/screenshots/${name}.png (${link.href})`);
  }
} finally {
  await browser.close();
}
