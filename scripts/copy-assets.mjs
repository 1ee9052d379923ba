// After `tsc`: the console's templates and browser assets go next to the compiled modules, where
// the console plugin looks for them (dist/src/modules/<feature>/views, …/assets).
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const from = join(root, 'src', 'modules');
const to = join(root, 'dist', 'src', 'modules');
if (!existsSync(to)) {
  console.error('dist/src/modules is missing: run tsc first');
  process.exit(1);
}
cpSync(from, to, { recursive: true, filter: (path) => !/\.(ts|mts|cts)$/.test(path) });
