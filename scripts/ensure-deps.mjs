// Installs npm dependencies when node_modules is missing or older than the lockfile.
// Plain Node on purpose: it runs before any dependency exists.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const stampFile = join(root, 'node_modules', '.deps-stamp');
const lockFile = join(root, 'package-lock.json');

function fingerprint() {
  const hash = createHash('sha256');
  hash.update(readFileSync(join(root, 'package.json')));
  if (existsSync(lockFile)) hash.update(readFileSync(lockFile));
  hash.update(process.version);
  return hash.digest('hex');
}

const wanted = fingerprint();
const current = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
if (current !== wanted) {
  // `npm install` rather than `npm ci`: the registry mirror may omit optional per-platform
  // packages from the lockfile, which `npm ci` treats as an out-of-sync lock.
  const args = ['install', '--no-audit', '--no-fund', '--loglevel=error'];
  console.log(`[setup] installing dependencies: npm ${args[0]}`);
  const result = spawnSync('npm', args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    console.error('[setup] npm install failed; check network access to the npm registry and retry');
    process.exit(result.status ?? 1);
  }
  writeFileSync(stampFile, fingerprint() + '\n');
}
