import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_USER_AGENT_LENGTH,
  USER_AGENT_MATCHERS,
  parseUserAgent,
  type UserAgentInfo,
} from '#src/modules/phone/user-agent.js';

type Case = [ua: string, expected: UserAgentInfo];

const yealink: Case[] = [
  [
    'Yealink SIP-T46S 66.86.0.15 00:15:65:aa:bb:cc',
    { vendor: 'yealink', model: 'T46S', firmware: '66.86.0.15', mac: '001565aabbcc' },
  ],
  [
    'yealink SIP-T28P 2.70.0.140 00:15:65:13:ae:0b',
    { vendor: 'yealink', model: 'T28P', firmware: '2.70.0.140', mac: '00156513ae0b' },
  ],
  [
    'Yealink SIP-T38G  38.70.0.125 00:15:65:2f:c3:5e',
    { vendor: 'yealink', model: 'T38G', firmware: '38.70.0.125', mac: '0015652fc35e' },
  ],
  [
    'Yealink SIP-T56A  58.80.0.25 001565f429a4',
    { vendor: 'yealink', model: 'T56A', firmware: '58.80.0.25', mac: '001565f429a4' },
  ],
  [
    'Yealink SIP VP-T49G 51.80.0.10 00:15:65:9b:5a:44',
    { vendor: 'yealink', model: 'VP-T49G', firmware: '51.80.0.10', mac: '0015659b5a44' },
  ],
  [
    'Yealink SIP-T19P_E2 53.80.0.3 00:15:65:4C:4C:26',
    { vendor: 'yealink', model: 'T19P_E2', firmware: '53.80.0.3', mac: '0015654c4c26' },
  ],
  [
    'Yealink W60B 77.81.0.35 80:5e:c0:09:ab:dc',
    { vendor: 'yealink', model: 'W60B', firmware: '77.81.0.35', mac: '805ec009abdc' },
  ],
  [
    'W52P 25.30.0.2 00:15:65:44:b3:7c',
    { vendor: 'yealink', model: 'W52P', firmware: '25.30.0.2', mac: '00156544b37c' },
  ],
  [
    'VP530P 23.70.0.40 00-15-65-31-4B-C0',
    { vendor: 'yealink', model: 'VP530P', firmware: '23.70.0.40', mac: '001565314bc0' },
  ],
  ['Yealink-T46G 28.71.0.81 28.1.0.128.0.0.0', { vendor: 'yealink', model: 'T46G', firmware: '28.71.0.81' }],
  ['Yealink SIP-T46U 108.86.0.80', { vendor: 'yealink', model: 'T46U', firmware: '108.86.0.80' }],
  [
    'Yealink\tSIP-T54W   96.86.0.100\t24:9A:D8:6E:9D:88 ',
    { vendor: 'yealink', model: 'T54W', firmware: '96.86.0.100', mac: '249ad86e9d88' },
  ],
];

const poly: Case[] = [
  [
    'FileTransport PolycomVVX-VVX_450-UA/6.4.6.2578 Type/Application',
    { vendor: 'poly', model: 'VVX450', firmware: '6.4.6.2578' },
  ],
  ['FileTransport PolycomVVX-VVX_310-UA/5.1.1.2986', { vendor: 'poly', model: 'VVX310', firmware: '5.1.1.2986' }],
  [
    'FileTransport PolycomSoundStationIP-SSIP_5000-UA/4.0.3.7562 (SN:0004f2e765da) Type/Application',
    { vendor: 'poly', model: 'SSIP5000', firmware: '4.0.3.7562', mac: '0004f2e765da' },
  ],
  [
    'FileTransport PolyEdge-Edge_E450-UA/8.0.0.15602 Type/Application',
    { vendor: 'poly', model: 'E450', firmware: '8.0.0.15602' },
  ],
  [
    'FileTransport PolyCCX-CCX_500-UA/9.4.1.0508 (SN:64167F9F4C90) Type/Application',
    { vendor: 'poly', model: 'CCX500', firmware: '9.4.1.0508', mac: '64167f9f4c90' },
  ],
  ['PolycomVVX-VVX_601-UA/6.4.3.2389', { vendor: 'poly', model: 'VVX601', firmware: '6.4.3.2389' }],
];

const cisco: Case[] = [
  [
    'Cisco-CP-8841-3PCC/12.0.7 (00562baabbcc)',
    { vendor: 'cisco-mpp', model: 'CP-8841', firmware: '12.0.7', mac: '00562baabbcc' },
  ],
  [
    'Cisco-CP-8841-3PCC/11.0 (00562b043615)',
    { vendor: 'cisco-mpp', model: 'CP-8841', firmware: '11.0', mac: '00562b043615' },
  ],
  [
    'Cisco/SPA508G-7.4.8a (0002FDAABBCC)(CBT1414XXXX)',
    { vendor: 'cisco-mpp', model: 'SPA508G', firmware: '7.4.8a', mac: '0002fdaabbcc' },
  ],
  ['Cisco/SPA525G-7.4.7 (CBT141900G7)', { vendor: 'cisco-mpp', model: 'SPA525G', firmware: '7.4.7' }],
  [
    'Linksys/SPA-942-6.1.5(a) (88019FA42805)',
    { vendor: 'cisco-mpp', model: 'SPA-942', firmware: '6.1.5(a)', mac: '88019fa42805' },
  ],
  ['Cisco-CP8841/12.6.1', { vendor: 'cisco-enterprise', model: 'CP-8841', firmware: '12.6.1' }],
  ['Cisco-CP8865NR/14.2.1', { vendor: 'cisco-enterprise', model: 'CP-8865NR', firmware: '14.2.1' }],
  ['Cisco-CP7960G/8.0', { vendor: 'cisco-enterprise', model: 'CP-7960G', firmware: '8.0' }],
];

const grandstream: Case[] = [
  [
    'Grandstream Model HW GXP2170 V1.2A SW 1.0.11.79 DevId 000b82aabbcc',
    { vendor: 'grandstream', model: 'GXP2170', firmware: '1.0.11.79', mac: '000b82aabbcc' },
  ],
  [
    'Grandstream Model HW GRP2616 SW 1.0.13.59 DevId ec74d7800474',
    { vendor: 'grandstream', model: 'GRP2616', firmware: '1.0.13.59', mac: 'ec74d7800474' },
  ],
  [
    'Grandstream Model HW GRP2601W SW 1.0.7.32 DevId EC:74:D7:89:1A:76',
    { vendor: 'grandstream', model: 'GRP2601W', firmware: '1.0.7.32', mac: 'ec74d7891a76' },
  ],
  [
    'Grandstream Model HW GXV3350  V1.3A SW 1.0.1.8 DevId c074ad150b88',
    { vendor: 'grandstream', model: 'GXV3350', firmware: '1.0.1.8', mac: 'c074ad150b88' },
  ],
  [
    'Grandstream GXP2000 (gxp2000e.bin:1.2.5.3/boot55e.bin:1.1.6.9) DevId 000b822726c8',
    { vendor: 'grandstream', model: 'GXP2000', firmware: '1.2.5.3', mac: '000b822726c8' },
  ],
  ['Grandstream GXP1400 1.0.4.13', { vendor: 'grandstream', model: 'GXP1400', firmware: '1.0.4.13' }],
];

const snom: Case[] = [
  [
    'Mozilla/4.0 (compatible; snomD785-SIP 10.1.169.16 2010.12-00001-gd311851f1 (Feb 25 2019 - 14:19:43) 00041396D9B4 SXM:0 UXM:0 UXMC:0)',
    { vendor: 'snom', model: 'D785', firmware: '10.1.169.16', mac: '00041396d9b4' },
  ],
  [
    'Mozilla/4.0 (compatible; snom370-SIP 8.7.5.48 1.1.3-u 0004132E08B4)',
    { vendor: 'snom', model: '370', firmware: '8.7.5.48', mac: '0004132e08b4' },
  ],
  ['Mozilla/4.0 (compatible; snom320-SIP 8.4.35 1.1.3-n)', { vendor: 'snom', model: '320', firmware: '8.4.35' }],
  [
    'Mozilla/4.0 (compatible; snom320-SIP 6.5.20; snom320 jffs2 v3.36; snom320 linux 3.38)',
    { vendor: 'snom', model: '320', firmware: '6.5.20' },
  ],
  [
    'Mozilla/4.0 (compatible; Snom M900 05.20.0001 000413b60680)',
    { vendor: 'snom', model: 'M900', firmware: '05.20.0001', mac: '000413b60680' },
  ],
  ['Mozilla/4.0 (compatible; snomPA1-SIP 8.4.35 1.1.3-s)', { vendor: 'snom', model: 'PA1', firmware: '8.4.35' }],
  ['snomD785/10.1.140.18', { vendor: 'snom', model: 'D785', firmware: '10.1.140.18' }],
  ['Mozilla/4.0 (compatible; snom lid 3605)', { vendor: 'snom' }],
];

const fanvil: Case[] = [
  ['Fanvil X4U 2.12.1 0c383eaabbcc', { vendor: 'fanvil', model: 'X4U', firmware: '2.12.1', mac: '0c383eaabbcc' }],
  [
    'Fanvil X5U-V2 2.12.1 0c3800000001)',
    { vendor: 'fanvil', model: 'X5U-V2', firmware: '2.12.1', mac: '0c3800000001' },
  ],
  [
    'Fanvil X4 2.10.2.6887 0c:38:3e:07:e1:6c',
    { vendor: 'fanvil', model: 'X4', firmware: '2.10.2.6887', mac: '0c383e07e16c' },
  ],
  ['Fanvil X6U 2.12.5.2', { vendor: 'fanvil', model: 'X6U', firmware: '2.12.5.2' }],
];

const gigaset: Case[] = [
  [
    'Gigaset N870 IP PRO/83.V2.65.0+build.a546b91;7C2F80AABBCC',
    { vendor: 'gigaset', model: 'N870 IP PRO', firmware: '83.V2.65.0+build.a546b91', mac: '7c2f80aabbcc' },
  ],
  [
    '"Gigaset N870 IP PRO/83.V2.11.0+build.a546b91;7C2F80E0D605;Handset=3"',
    { vendor: 'gigaset', model: 'N870 IP PRO', firmware: '83.V2.11.0+build.a546b91', mac: '7c2f80e0d605' },
  ],
  [
    'N510 IP PRO/42.245.00.000.000;7C2F804DF9A9',
    { vendor: 'gigaset', model: 'N510 IP PRO', firmware: '42.245.00.000.000', mac: '7c2f804df9a9' },
  ],
  ['N720-DM-PRO/70.040.00.000.000', { vendor: 'gigaset', model: 'N720 DM PRO', firmware: '70.040.00.000.000' }],
  ['Gigaset N720 DM PRO/70.108.00.000.000', { vendor: 'gigaset', model: 'N720 DM PRO', firmware: '70.108.00.000.000' }],
];

describe('parseUserAgent', () => {
  for (const [family, cases] of Object.entries({ yealink, poly, cisco, grandstream, snom, fanvil, gigaset })) {
    describe(family, () => {
      it.each(cases)('%s', (ua, expected) => {
        expect(parseUserAgent(ua)).toEqual(expected);
      });
    });
  }

  it('drops MACs that are no phone (zero, broadcast, multicast) but keeps the rest', () => {
    expect(parseUserAgent('Yealink SIP-T46S 66.86.0.15 00:00:00:00:00:00')).toEqual({
      vendor: 'yealink',
      model: 'T46S',
      firmware: '66.86.0.15',
    });
    expect(parseUserAgent('Fanvil X4U 2.12.1 ffffffffffff')).toEqual({
      vendor: 'fanvil',
      model: 'X4U',
      firmware: '2.12.1',
    });
    expect(parseUserAgent('Cisco-CP-8841-3PCC/12.0.7 (01562baabbcc)')).toEqual({
      vendor: 'cisco-mpp',
      model: 'CP-8841',
      firmware: '12.0.7',
    });
  });

  it('recognises nothing in browsers, tools, gateways and garbage', () => {
    for (const ua of [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
      'curl/8.5.0',
      'Cisco-SIPGateway/IOS-16.12.4',
      'Wget/1.21',
      '',
      '   ',
      '"',
      '/',
      ';;;',
      'Gigaset',
    ]) {
      expect(parseUserAgent(ua)).toEqual({});
    }
  });

  it('never lets markup or control characters into model or firmware', () => {
    expect(parseUserAgent('Yealink SIP-<script> 66.86.0.15 00:15:65:aa:bb:cc')).toEqual({
      vendor: 'yealink',
      firmware: '66.86.0.15',
      mac: '001565aabbcc',
    });
    expect(parseUserAgent('Fanvil X4U\u0000\u001b[31m 2.12.1')).toEqual({ vendor: 'fanvil', model: 'X4U' });
    expect(parseUserAgent('Grandstream Model HW GXP2170${jndi:x} SW 1.0 DevId 000b82aabbcc')).toEqual({
      vendor: 'grandstream',
      firmware: '1.0',
      mac: '000b82aabbcc',
    });
  });

  it('ignores non-strings and anything over the length cap', () => {
    expect(parseUserAgent(undefined)).toEqual({});
    expect(parseUserAgent(42)).toEqual({});
    expect(parseUserAgent(['Yealink SIP-T46S 66.86.0.15'])).toEqual({});
    const padded = 'Yealink SIP-T46S 66.86.0.15 00:15:65:aa:bb:cc' + ' '.repeat(MAX_USER_AGENT_LENGTH);
    expect(parseUserAgent(padded)).toEqual({});
  });

  it('never throws on arbitrary strings and only reports known vendors and canonical MACs', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 600 }), fc.string({ unit: 'binary', maxLength: 300 }), phoneishUa()),
        (ua) => {
          const info = parseUserAgent(ua);
          if (info.mac !== undefined) expect(info.mac).toMatch(/^[0-9a-f]{12}$/);
          if (info.model !== undefined) expect(info.model).toMatch(/^[A-Za-z0-9][A-Za-z0-9 ._+()-]*$/);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

/** Strings made of the pieces real UAs are made of, in random order and spacing. */
function phoneishUa(): fc.Arbitrary<string> {
  const piece = fc.constantFrom(
    'Yealink',
    'SIP-T46S',
    'SIP',
    'FileTransport',
    'PolycomVVX-VVX_450-UA/6.4.6',
    'Cisco-CP-8841-3PCC/12.0.7',
    'Cisco/SPA508G-7.4.8a',
    '(00562baabbcc)',
    '(SN:0004f2e765da)',
    'Grandstream',
    'Model',
    'HW',
    'SW',
    'DevId',
    'snomD785-SIP',
    'Snom',
    'Fanvil',
    'Gigaset',
    'N870',
    'IP',
    'PRO/83.V2;',
    '66.86.0.15',
    '00:15:65:aa:bb:cc',
    '7C2F80AABBCC',
    '((',
    '))',
    ';',
    '/',
    '"',
    '-',
  );
  return fc
    .array(piece, { maxLength: 12 })
    .chain((parts) => fc.constantFrom(' ', '  ', '\t').map((sep) => parts.join(sep)));
}

describe('user-agent matchers on hostile 64 KB input (no catastrophic backtracking)', () => {
  // The public parser caps length first; the matchers themselves must still be linear.
  const size = 64 * 1024;
  const hostile = [
    'Yealink ' + '0.'.repeat(size / 2) + '!',
    'FileTransport Polycom' + 'a'.repeat(size) + '-UA/',
    'Cisco/' + 'SPA-'.repeat(size / 4) + ' (' + '('.repeat(size / 2),
    'Grandstream Model HW ' + 'DevId '.repeat(size / 6),
    'Gigaset N870' + ' IP'.repeat(size / 3) + '/1;' + ';'.repeat(size),
    'Mozilla/4.0 (compatible; ' + 'snom'.repeat(size / 4) + '-SIP',
    ')'.repeat(size) + 'x',
    '1.' + '1.'.repeat(size / 2) + 'a(',
    'Fanvil ' + 'X '.repeat(size / 2),
  ];

  it.each(hostile.map((ua, index) => [index, ua] as const))('input %i', (_index, ua) => {
    const tokens = ua.split(' ');
    for (const match of USER_AGENT_MATCHERS) expect(() => match(ua, tokens)).not.toThrow();
    expect(parseUserAgent(ua)).toEqual({});
  });
});
