import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every code folder of the repository; a clone elsewhere has no `shared/` folder beside it. */
const ROOTS = ['src', 'test', 'bench', 'scripts', 'workers'];
const CODE = /\.(ts|mts|js|mjs|cjs)$/;
// Built from parts so this file does not match itself.
const SHARED_READ = new RegExp(['\\.\\./', 'shared', '/'].join(''));

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (CODE.test(name)) yield path;
  }
}

describe('the repository is self-contained', () => {
  it('no code or test reads the shared folder outside the repository', () => {
    const offenders: string[] = [];
    for (const root of ROOTS) {
      for (const path of files(root)) {
        const text = readFileSync(path, 'utf8');
        if (SHARED_READ.test(text)) offenders.push(path);
      }
    }
    expect(offenders).toEqual([]);
  });
});
