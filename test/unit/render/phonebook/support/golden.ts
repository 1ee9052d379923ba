import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GOLDEN_ROOT = fileURLToPath(new URL('../../../../golden/phonebook/', import.meta.url));
// Regenerate with `UPDATE_GOLDEN=1 npx vitest run --project unit test/unit/render/phonebook`.
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Compares bytes with the committed golden file (or rewrites it when UPDATE_GOLDEN=1). */
export function matchGolden(relativePath: string, actual: Buffer | string): { expected: string; actual: string } {
  const path = join(GOLDEN_ROOT, relativePath);
  const actualText = actual.toString();
  if (UPDATE) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actualText);
  }
  if (!existsSync(path)) {
    throw new Error(`golden file ${relativePath} is missing; run with UPDATE_GOLDEN=1 to create it`);
  }
  return { expected: readFileSync(path, 'utf8'), actual: actualText };
}
