import { describe, expect, it } from 'vitest';
import { commonFileNames, deviceFileNames, modelInfo, RenderError } from '#src/modules/render/device/index.js';

const MAC = '0015659a1b2c';
const SAFE = /^[A-Za-z0-9._-]+$/;

describe('file names from the naming contract', () => {
  it.each([
    ['yealink', 'SIP-T46S', [`${MAC}.cfg`], ['y000000000066.cfg']],
    ['poly', 'VVX_450', [`${MAC}.cfg`, `${MAC}-phone.cfg`], ['000000000000.cfg']],
    ['cisco-mpp', 'CP-8841-3PCC', [`${MAC}.xml`], ['CP-8841-3PCC.xml']],
    ['cisco-enterprise', '7961', ['SEP0015659A1B2C.cnf.xml'], []],
    ['grandstream', 'GXP2170', [`cfg${MAC}.xml`], ['cfg.xml']],
    ['snom', 'snomD785', ['snomD785-0015659A1B2C.htm'], ['snomD785.htm']],
    ['fanvil', 'X4U', [`${MAC}.cfg`], ['X4U.cfg']],
    ['gigaset', 'N870 IP PRO', [`${MAC}.xml`], []],
  ] as const)('%s %s', (vendor, model, device, common) => {
    expect(deviceFileNames(vendor, MAC, model)).toEqual(device);
    expect(commonFileNames(vendor, model)).toEqual(common);
    for (const name of [...device, ...common]) expect(name).toMatch(SAFE);
  });

  it('refuses a MAC that is not canonical', () => {
    expect(() => deviceFileNames('yealink', '00:15:65:9A:1B:2C', 'T46S')).toThrow(RenderError);
    expect(() => deviceFileNames('yealink', '0015659A1B2C', 'T46S')).toThrow(RenderError);
  });

  it('refuses a model that cannot be part of a file name', () => {
    expect(() => deviceFileNames('snom', MAC, '../../etc')).not.toThrow();
    expect(deviceFileNames('snom', MAC, '../../etc')[0]).toMatch(SAFE);
    expect(() => deviceFileNames('snom', MAC, '???')).toThrow(RenderError);
  });
});

describe('model table', () => {
  it('knows line counts and Yealink hardware ids', () => {
    expect(modelInfo('yealink', 'T48S')).toEqual({ id: 'T48S', lines: 16, hardwareId: 65, known: true });
    expect(modelInfo('yealink', 'Yealink SIP-T54W')).toMatchObject({ id: 'T54W', hardwareId: 96 });
    expect(modelInfo('yealink', 'T57W').hardwareId).toBe(97);
    expect(modelInfo('yealink', 'W52P').hardwareId).toBe(25);
    expect(modelInfo('poly', 'VVX 450').lines).toBe(12);
    expect(modelInfo('cisco-mpp', '8841').id).toBe('CP-8841');
  });

  it('gives unknown models of a known vendor a default and no common file', () => {
    expect(modelInfo('yealink', 'T99X')).toEqual({ id: 'T99X', lines: 16, known: false });
    expect(commonFileNames('yealink', 'T99X')).toEqual([]);
  });
});
