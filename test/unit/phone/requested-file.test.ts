import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRequestedPath, type RequestedFile } from '#src/modules/phone/requested-file.js';

describe('parseRequestedPath: the naming contract', () => {
  const cases: [string, RequestedFile][] = [
    ['/001565aabbcc.cfg', { kind: 'device', mac: '001565aabbcc', name: '001565aabbcc.cfg' }],
    ['/001565AABBCC.cfg', { kind: 'device', mac: '001565aabbcc', name: '001565AABBCC.cfg' }],
    ['/0004f2aabbcc-phone.cfg', { kind: 'device', mac: '0004f2aabbcc', name: '0004f2aabbcc-phone.cfg' }],
    ['/00562baabbcc.xml', { kind: 'device', mac: '00562baabbcc', name: '00562baabbcc.xml' }],
    ['/SEP00562BAABBCC.cnf.xml', { kind: 'device', mac: '00562baabbcc', name: 'SEP00562BAABBCC.cnf.xml' }],
    ['/sep00562baabbcc.CNF.XML', { kind: 'device', mac: '00562baabbcc', name: 'sep00562baabbcc.CNF.XML' }],
    ['/cfg000b82aabbcc.xml', { kind: 'device', mac: '000b82aabbcc', name: 'cfg000b82aabbcc.xml' }],
    ['/snomD785-000413AABBCC.htm', { kind: 'device', mac: '000413aabbcc', name: 'snomD785-000413AABBCC.htm' }],
    ['/7c2f80aabbcc.xml?first=1&count=20', { kind: 'device', mac: '7c2f80aabbcc', name: '7c2f80aabbcc.xml' }],
    ['/y000000000066.cfg', { kind: 'common', name: 'y000000000066.cfg' }],
    ['/000000000000.cfg', { kind: 'common', name: '000000000000.cfg' }],
    ['/CP-8841-3PCC.xml', { kind: 'common', name: 'CP-8841-3PCC.xml' }],
    ['/cfg.xml', { kind: 'common', name: 'cfg.xml' }],
    ['/snomD785.htm', { kind: 'common', name: 'snomD785.htm' }],
    ['/X4U.cfg', { kind: 'common', name: 'X4U.cfg' }],
    ['//y000000000066.cfg', { kind: 'common', name: 'y000000000066.cfg' }],
    ['/pb/AbCdEf0123456789/yealink.xml', { kind: 'phonebook', token: 'AbCdEf0123456789', format: 'yealink' }],
    [
      '/pb/AbCdEf0123456789/yealink-grouped.xml',
      { kind: 'phonebook', token: 'AbCdEf0123456789', format: 'yealink-grouped' },
    ],
    ['/pb/AbCdEf0123456789/GIGASET.XML', { kind: 'phonebook', token: 'AbCdEf0123456789', format: 'gigaset' }],
    ['/pb/AbCdEf0123456789/cisco.xml', { kind: 'phonebook', token: 'AbCdEf0123456789', format: 'cisco' }],
    ['/pb/AbCdEf0123456789/cisco-3.xml', { kind: 'phonebook', token: 'AbCdEf0123456789', format: 'cisco', page: 3 }],
    [
      '/pb/AbCdEf0123456789/cisco-search.xml',
      { kind: 'phonebook', token: 'AbCdEf0123456789', format: 'cisco', search: true },
    ],
    [
      '/pb/AbCdEf0123456789/snom-directory.xml',
      { kind: 'phonebook', token: 'AbCdEf0123456789', format: 'snom-directory' },
    ],
    // Grandstream requests `<P331 folder>/phonebook.xml`.
    ['/pb/AbCdEf0123456789/phonebook.xml', { kind: 'phonebook', token: 'AbCdEf0123456789', format: 'grandstream' }],
    [
      '/t/acme/pb/AbCdEf0123456789/PhoneBook.XML',
      { kind: 'phonebook', token: 'AbCdEf0123456789', format: 'grandstream', tenantPrefix: 'acme' },
    ],
    // Poly's contact directory is a device file (authenticated), whatever it is answered with.
    ['/0004f2aabbcc-directory.xml', { kind: 'device', mac: '0004f2aabbcc', name: '0004f2aabbcc-directory.xml' }],
    ['/0004F2AABBCC-DIRECTORY.xml', { kind: 'device', mac: '0004f2aabbcc', name: '0004F2AABBCC-DIRECTORY.xml' }],
    ['/000000000000-directory.xml', { kind: 'common', name: '000000000000-directory.xml' }],
    ['/firmware/T46S-66.86.0.15.rom', { kind: 'firmware', name: 'T46S-66.86.0.15.rom' }],
    ['/firmware/yealink/T46S-66.86.0.15.rom', { kind: 'firmware', name: 'yealink/T46S-66.86.0.15.rom' }],
    [
      '/t/acme/001565aabbcc.cfg',
      { kind: 'device', mac: '001565aabbcc', name: '001565aabbcc.cfg', tenantPrefix: 'acme' },
    ],
    ['/t/acme-2/y000000000066.cfg', { kind: 'common', name: 'y000000000066.cfg', tenantPrefix: 'acme-2' }],
    [
      '/t/acme/pb/AbCdEf0123456789/snom.xml',
      { kind: 'phonebook', token: 'AbCdEf0123456789', format: 'snom', tenantPrefix: 'acme' },
    ],
    ['/t/acme/firmware/x.bin', { kind: 'firmware', name: 'x.bin', tenantPrefix: 'acme' }],
    ['/%30%30%31%35%36%35aabbcc.cfg', { kind: 'device', mac: '001565aabbcc', name: '001565aabbcc.cfg' }],
  ];
  it.each(cases)('%s', (path, expected) => {
    expect(parseRequestedPath(path)).toEqual(expected);
  });

  it('answers 404-unknown for well-formed requests that are not ours', () => {
    for (const path of [
      '/',
      '',
      '/?x=1',
      '/a/b',
      '/ffffffffffff.cfg', // broadcast
      '/010203040506.cfg', // multicast
      '/SEPFFFFFFFFFFFF.cnf.xml',
      '/pb/short/yealink.xml',
      '/pb/AbCdEf0123456789/outlook.xml',
      '/pb/AbCdEf0123456789/phonebook.htm',
      '/pb/AbCdEf0123456789/__proto__.xml',
      '/pb/AbCdEf0123456789/cisco-0.xml',
      '/pb/AbCdEf0123456789/cisco-12345.xml',
      '/pb/AbCdEf0123456789',
      '/pb/AbCdEf0123456789/yealink.xml/extra',
      '/firmware',
      '/firmware/a/b/c/d/e.bin',
      '/t/acme',
      '/t/-acme/x.cfg',
    ]) {
      expect(parseRequestedPath(path), path).toEqual(
        path === '' ? { kind: 'invalid', reason: 'not_a_path' } : { kind: 'unknown' },
      );
    }
  });

  it('rejects traversal, encoded dots, NUL, backslashes and foreign characters as invalid', () => {
    const expectations: [string, string][] = [
      ['/../etc/passwd', 'dot_segment'],
      ['/firmware/../../etc/passwd', 'dot_segment'],
      ['/%2e%2e/etc/passwd', 'dot_segment'],
      ['/%2E%2E%2Fetc%2Fpasswd', 'dot_segment'],
      ['/firmware/..%2f..%2fsecret', 'dot_segment'],
      ['/%252e%252e/etc/passwd', 'bad_encoding'],
      ['/%25252e%25252e/x', 'bad_encoding'],
      ['/%c0%ae%c0%ae/x', 'bad_encoding'],
      ['/%e0%80%ae/x', 'bad_encoding'],
      ['/%zz.cfg', 'bad_encoding'],
      ['/%', 'bad_encoding'],
      ['/001565aabbcc.cfg%00.txt', 'nul_byte'],
      ['/001565aabbcc.cfg\u0000', 'nul_byte'],
      ['/..\\..\\windows\\win.ini', 'backslash'],
      ['/%5c..%5cx', 'backslash'],
      ['/./001565aabbcc.cfg', 'dot_segment'],
      ['/.htaccess', 'dot_segment'],
      ['/00:15:65:aa:bb:cc.cfg', 'forbidden_character'],
      ['/001565aabbcc.cfg;rm', 'forbidden_character'],
      ['/name with space.cfg', 'forbidden_character'],
      ['/caf%C3%A9.cfg', 'forbidden_character'],
      ['/x\r\nSet-Cookie:a', 'forbidden_character'],
      ['001565aabbcc.cfg', 'not_a_path'],
      ['http://evil/001565aabbcc.cfg', 'not_a_path'],
      [`/${'a'.repeat(256)}.cfg`, 'name_too_long'],
      [`/${'a/'.repeat(513)}`, 'path_too_long'],
    ];
    for (const [path, reason] of expectations) {
      expect(parseRequestedPath(path), path).toEqual({ kind: 'invalid', reason });
    }
  });

  it('never throws on non-strings', () => {
    for (const value of [undefined, null, 42, {}, ['/x.cfg']]) {
      expect(parseRequestedPath(value)).toEqual({ kind: 'invalid', reason: 'not_a_path' });
    }
  });
});

describe('parseRequestedPath: fuzz', () => {
  const safeName = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

  /** Whatever comes in, what comes out is one of the kinds, with names that cannot escape a folder. */
  function checkOutput(result: RequestedFile): void {
    switch (result.kind) {
      case 'device':
        expect(result.mac).toMatch(/^[0-9a-f]{12}$/);
        expect(result.name).toMatch(/^[A-Za-z0-9._-]{1,255}$/);
        break;
      case 'common':
        expect(result.name).toMatch(/^[A-Za-z0-9._-]{1,255}$/);
        expect(result.name.startsWith('.')).toBe(false);
        break;
      case 'firmware':
        expect(result.name).toMatch(safeName);
        expect(result.name.split('/').some((segment) => segment.startsWith('.'))).toBe(false);
        break;
      case 'phonebook':
        expect(result.token).toMatch(/^[A-Za-z0-9_-]+$/);
        break;
      default:
        expect(['invalid', 'unknown']).toContain(result.kind);
    }
  }

  it('arbitrary strings never throw and never yield an escaping name', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 }), pathish()),
        (path) => {
          checkOutput(parseRequestedPath(path));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('any path with a traversal marker is invalid, however it is encoded', () => {
    const dots = fc.constantFrom('..', '%2e%2e', '%2E.', '.%2e', '%252e%252e', '%c0%ae%c0%ae', '..%00', '%2e%2e%5c');
    const slash = fc.constantFrom('/', '%2f', '%2F', '\\', '%5c', '//');
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('firmware', 't', 'acme', 'pb', 'x'), { maxLength: 3 }),
        dots,
        slash,
        fc.constantFrom('', 'etc/passwd', '001565aabbcc.cfg'),
        (before, dot, sep, after) => {
          const path = '/' + [...before, dot].join('/') + sep + after;
          expect(parseRequestedPath(path).kind, path).toBe('invalid');
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('odd MAC forms never reach a device', () => {
    const oddMac = fc.oneof(
      fc.constantFrom(
        '00:15:65:aa:bb:cc',
        '00-15-65-aa-bb-cc',
        '0015.65aa.bbcc',
        '001565aabbc',
        '001565aabbccd',
        '001565aabbcg',
        'ffffffffffff',
        '010203040506',
        '%30015%3665aabbcc',
      ),
      fc.stringMatching(/^[0-9a-fA-F:.\- ]{0,20}$/),
    );
    const shape = fc.constantFrom(
      (m: string) => `/${m}.cfg`,
      (m: string) => `/SEP${m}.cnf.xml`,
      (m: string) => `/cfg${m}.xml`,
      (m: string) => `/snomD785-${m}.htm`,
    );
    fc.assert(
      fc.property(oddMac, shape, (mac, build) => {
        const result = parseRequestedPath(build(mac));
        if (result.kind === 'device') {
          // Only a real, unicast 12-hex-digit MAC may come through, and then exactly as written.
          expect(mac.replace(/%3(\d)/g, '$1').toLowerCase()).toBe(result.mac);
          expect(['ffffffffffff', '010203040506']).not.toContain(result.mac);
        }
        checkOutput(result);
      }),
      { numRuns: 2000 },
    );
  });

  it('64 KB names and paths are invalid without heavy work', () => {
    const big = 'a'.repeat(64 * 1024);
    expect(parseRequestedPath(`/${big}`)).toEqual({ kind: 'invalid', reason: 'path_too_long' });
    expect(parseRequestedPath(`/${'%2e'.repeat(22000)}`)).toEqual({ kind: 'invalid', reason: 'path_too_long' });
    expect(parseRequestedPath(`/x.cfg?${big}`)).toEqual({ kind: 'common', name: 'x.cfg' });
    expect(parseRequestedPath(`/${'%'.repeat(1000)}`).kind).toBe('invalid');
  });
});

/** Paths assembled from contract pieces and hostile fragments. */
function pathish(): fc.Arbitrary<string> {
  const piece = fc.constantFrom(
    't',
    'acme',
    'pb',
    'firmware',
    'AbCdEf0123456789',
    'yealink.xml',
    'cisco-2.xml',
    '001565aabbcc.cfg',
    'SEP001565AABBCC.cnf.xml',
    '..',
    '.',
    '%2e',
    '%2f',
    '%00',
    '%252e',
    '\\',
    '~',
    ':',
    '%',
    '?',
    '#',
    'cfg.xml',
    'y000000000066.cfg',
    '',
  );
  return fc.array(piece, { maxLength: 8 }).map((parts) => '/' + parts.join('/'));
}
