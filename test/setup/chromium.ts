import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * The browser tests drive Debian's Chromium. When it is missing and we are root on Debian it is
 * installed here; otherwise the returned line says what to install (the console tests fail with
 * it, the rest of the suite runs).
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM)) return '';
  const root = process.getuid?.() === 0;
  if (root && existsSync('/etc/debian_version')) {
    try {
      execFileSync('apt-get', ['install', '-y', 'chromium'], {
        stdio: 'ignore',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } catch {
      return `browser tests need ${CHROMIUM}: "apt-get install -y chromium" failed`;
    }
    if (existsSync(CHROMIUM)) return '';
  }
  return `browser tests need ${CHROMIUM}: install the Debian package "chromium" (apt-get install -y chromium)`;
}
