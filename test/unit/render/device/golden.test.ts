import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  renderCommonFiles,
  renderDeviceFiles,
  VENDOR_FAMILIES,
  type RenderedFile,
} from '#src/modules/render/device/index.js';
import { goldenInput, MODELS } from './fixtures.js';

/*
 * Golden files: test/golden/device/<vendor>/<file name> (per-device files),
 * test/golden/device/<vendor>/common/<file name> and test/golden/device/<vendor>/result.json
 * (names, content types, secret flags, hashes, warnings). Any byte change fails the test.
 * After an intended change, regenerate with:
 *   UPDATE_GOLDEN=1 npx vitest run --project unit test/unit/render/device/golden.test.ts
 * and review the diff before committing.
 */

const GOLDEN_DIR = fileURLToPath(new URL('../../../golden/device/', import.meta.url));
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
const COMMON_SETTINGS = {
  provisioningUrl: 'https://prov.example.net/p/',
  firmwareUrl: 'https://fw.example.net/images/fw-1.2.3.bin',
};

function compareWithGolden(path: string, actual: Buffer): void {
  if (UPDATE) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  expect(existsSync(path), `golden file missing: ${path} (run with UPDATE_GOLDEN=1)`).toBe(true);
  const expected = readFileSync(path);
  // Compare bytes, and show text on mismatch.
  if (!expected.equals(actual)) expect(actual.toString('utf8')).toBe(expected.toString('utf8'));
  expect(actual.equals(expected)).toBe(true);
}

function summary(files: RenderedFile[]) {
  return files.map((f) => ({
    name: f.name,
    contentType: f.contentType,
    carriesSecrets: f.carriesSecrets,
    sha256: f.sha256,
  }));
}

describe.each(VENDOR_FAMILIES)('%s golden files', (vendor) => {
  const result = renderDeviceFiles(goldenInput(vendor));
  const common = renderCommonFiles(vendor, MODELS[vendor], COMMON_SETTINGS);

  it.each(result.files.map((f) => [f.name, f] as const))('device file %s matches its golden copy', (name, file) => {
    compareWithGolden(join(GOLDEN_DIR, vendor, name), file.body);
  });

  it('common files match their golden copies', () => {
    for (const file of common) compareWithGolden(join(GOLDEN_DIR, vendor, 'common', file.name), file.body);
  });

  it('file list, content types, secret flags, hashes and warnings match', () => {
    const actual = Buffer.from(
      `${JSON.stringify({ device: summary(result.files), common: summary(common), warnings: result.warnings }, null, 2)}\n`,
    );
    compareWithGolden(join(GOLDEN_DIR, vendor, 'result.json'), actual);
  });
});
