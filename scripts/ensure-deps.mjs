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
  // Install exactly what the lock names and never rewrite it (a clone must stay clean after
  // `npm start`): `npm ci` when the lock is in sync; else `npm install --no-save`, which still
  // resolves from the lock but writes neither package.json nor package-lock.json (the registry
  // mirror may omit optional per-platform packages, which `npm ci` refuses as an out-of-sync lock).
  const attempts = [
    ['ci', '--no-audit', '--no-fund', '--loglevel=error'],
    ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error'],
  ];
  let status = 1;
  for (const args of attempts) {
    console.log(`[setup] installing dependencies: npm ${args.slice(0, 2).join(' ')}`);
    status = spawnSync('npm', args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] }).status ?? 1;
    if (status === 0) break;
  }
  if (status !== 0) {
    console.error('[setup] npm install failed; check network access to the npm registry and retry');
    process.exit(status);
  }
  writeFileSync(stampFile, fingerprint() + '\n');
}
