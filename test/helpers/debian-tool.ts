/**
 * Command-line tools the tests drive (sipp, jq, curl). On a fresh CI machine a missing one is
 * installed from Debian under the shared apt lock when we are root on Debian; otherwise the test
 * fails with one line naming the package. Nothing is skipped.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export function findOnPath(binary: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin', '/usr/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const found = new Map<string, string>();

/** Absolute path of `binary`, installing Debian's `debianPackage` first when it is missing. */
export function ensureDebianTool(binary: string, debianPackage: string): string {
  const known = found.get(binary);
  if (known) return known;
  let path = findOnPath(binary);
  if (!path && process.getuid?.() === 0 && existsSync('/etc/debian_version')) {
    const install = `command -v ${binary} >/dev/null 2>&1 || apt-get install -y -q ${debianPackage} || (apt-get update -q && apt-get install -y -q ${debianPackage})`;
    spawnSync('flock', ['/tmp/apt.lock', 'sh', '-c', install], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: 600_000,
    });
    path = findOnPath(binary);
  }
  if (!path)
    throw new Error(
      `${binary} is not installed and could not be installed (needs root on Debian: apt-get install ${debianPackage})`,
    );
  found.set(binary, path);
  return path;
}
