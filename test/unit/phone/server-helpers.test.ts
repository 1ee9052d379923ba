import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commonFileNames, knownModelIds, VENDOR_FAMILIES } from '#src/modules/render/device/index.js';
import { macFromCertificateNames } from '#src/modules/phone/server/client-cert.js';
import { commonFileSource } from '#src/modules/phone/server/common-files.js';
import { FirmwareFolder } from '#src/modules/phone/server/firmware-folder.js';
import { Lru } from '#src/modules/phone/server/lru.js';
import { acceptsGzip, etagMatches } from '#src/modules/phone/server/respond.js';
import { safeError } from '#src/modules/phone/server/safe-error.js';

describe('Lru', () => {
  it('evicts the least recently used entries past the size bound and reports every removal', () => {
    const removed: string[] = [];
    const lru = new Lru<string, number>(10, (key) => removed.push(key));
    lru.set('a', 1, 4);
    lru.set('b', 2, 4);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3, 4);
    expect([...lru.keys()]).toEqual(['a', 'c']);
    expect(removed).toEqual(['b']);
    expect(lru.totalSize).toBe(8);
    expect(lru.set('huge', 4, 11)).toBe(false);
    lru.delete('a');
    expect(removed).toEqual(['b', 'a']);
    expect(lru.totalSize).toBe(4);
  });

  it('keeps its bound, order and removal reports while full and churning; a replaced entry is reported, clear() reports nothing', () => {
    const removed: string[] = [];
    const lru = new Lru<string, { n: number }>(100, (key) => removed.push(key));
    for (let i = 0; i < 1000; i++) lru.set(`k${i}`, { n: i }, 1);
    expect(lru.size).toBe(100);
    expect(lru.totalSize).toBe(100);
    expect(removed).toHaveLength(900);
    expect(removed.slice(0, 3)).toEqual(['k0', 'k1', 'k2']);
    expect([...lru.keys()].slice(0, 2)).toEqual(['k900', 'k901']);
    expect(lru.peek('k900')).toEqual({ n: 900 });
    expect([...lru.keys()][0]).toBe('k900');
    const same = lru.get('k950')!;
    lru.set('k950', same, 1);
    expect(removed.at(-1)).toBe('k950');
    expect([...lru.values()].at(-1)).toBe(same);
    const before = removed.length;
    lru.clear();
    expect(removed).toHaveLength(before);
    expect(lru.size).toBe(0);
    expect(lru.totalSize).toBe(0);
  });
});

describe('conditional and encoded responses', () => {
  const etag = '"abc"';
  it.each([
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    ['*', true],
    ['"abcd"', false],
    ['abc', false],
    [undefined, false],
  ])('If-None-Match %s → %s', (header, expected) => {
    expect(etagMatches(header, etag)).toBe(expected);
  });

  it.each([
    ['gzip', true],
    ['deflate, gzip;q=0.5', true],
    ['GZIP', true],
    ['x-gzip', true],
    ['gzip;q=0', false],
    ['gzip; q=0.0', false],
    ['br, deflate', false],
    [undefined, false],
  ])('Accept-Encoding %s → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

describe('common file names', () => {
  it('maps every common name of every known model back to a vendor whose renderer names it', () => {
    for (const vendor of VENDOR_FAMILIES) {
      for (const model of knownModelIds(vendor)) {
        for (const name of commonFileNames(vendor, model)) {
          const source = commonFileSource(name.toUpperCase());
          expect(source, name).toBeDefined();
          expect(commonFileNames(source!.vendor, source!.model)).toContain(source!.name);
        }
      }
    }
  });

  it('knows nothing else', () => {
    for (const name of ['y000000000000.cfg', 'y000000000999.cfg', 'snom.htm', 'CP-0000-3PCC.xml', 'foo.cfg', ''])
      expect(commonFileSource(name), name).toBeUndefined();
    expect(commonFileSource('000000000000.cfg')?.vendor).toBe('poly');
    expect(commonFileSource('y000000000066.cfg')).toMatchObject({ vendor: 'yealink', model: 'T46S' });
  });
});

describe('client certificate MAC', () => {
  it.each([
    ['001565aabbcc', undefined, '001565aabbcc'],
    ['SEP001565AABBCC', undefined, '001565aabbcc'],
    ['00:15:65:AA:BB:CC', undefined, '001565aabbcc'],
    ['phone', 'DNS:001565aabbcc.phones.example, IP Address:10.0.0.1', '001565aabbcc'],
    ['001565aabbcc', 'DNS:001565aabbcd.example', undefined],
    ['ffffffffffff', undefined, undefined],
    ['cafe001565aabbcc', undefined, undefined],
    ['Some Device', undefined, undefined],
  ])('%s / %s → %s', (cn, san, expected) => {
    expect(macFromCertificateNames(cn, san)).toBe(expected);
  });
});

describe('safeError', () => {
  it('keeps only the database message of a knex error (bound values are inlined before it)', () => {
    const error = Object.assign(
      new Error(
        "insert into devices (secret) values ('hunter2-secret') - duplicate key value violates unique constraint",
      ),
      { code: '23505', severity: 'ERROR' },
    );
    const safe = safeError(error);
    expect(safe).toEqual({ name: 'Error', code: '23505', message: 'duplicate key value violates unique constraint' });
    expect(JSON.stringify(safe)).not.toContain('hunter2');
    expect(safeError(new Error('plain failure')).message).toBe('plain failure');
  });
});

describe('FirmwareFolder', () => {
  const root = mkdtempSync(join(tmpdir(), 'fw-unit-'));
  const outside = mkdtempSync(join(tmpdir(), 'fw-outside-'));
  mkdirSync(join(root, 'snom'));
  writeFileSync(join(root, 'snom', 'd785.bin'), 'firmware');
  writeFileSync(join(outside, 'private'), 'nope');
  symlinkSync(join(outside, 'private'), join(root, 'link.bin'));
  symlinkSync(join(root, 'snom', 'd785.bin'), join(root, 'inside-link.bin'));
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });
  const folder = new FirmwareFolder(root);

  it('opens files inside the folder (also through symlinks that stay inside)', async () => {
    for (const name of ['snom/d785.bin', 'inside-link.bin']) {
      const file = await folder.open(name);
      expect(file?.size).toBe(8);
      file?.stream.destroy();
    }
  });

  it.each(['../' + 'etc/passwd', '/etc/passwd', 'link.bin', 'snom', 'snom/../../x', 'missing.bin', 'a\u0000b', ''])(
    'refuses %s',
    async (name) => {
      expect(await folder.open(name)).toBeUndefined();
    },
  );

  it('serves nothing without a folder', async () => {
    expect(await new FirmwareFolder(undefined).open('snom/d785.bin')).toBeUndefined();
  });
});
