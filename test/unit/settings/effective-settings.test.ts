import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  effectiveSettings,
  effectiveValues,
  type ClassOfServiceSource,
  type DeviceSettingsSources,
  type ProfileSource,
} from '#src/modules/settings/effective-settings.js';
import { PLATFORM_DEFAULTS } from '#src/modules/settings/platform-defaults.js';

const profile = (
  id: string,
  settings: ProfileSource['settings'] = {},
  rawKeys: ProfileSource['rawKeys'] = {},
): ProfileSource => ({ id, settings, rawKeys });
const cos = (id: string): ClassOfServiceSource => ({
  id,
  name: id,
  level: 'national',
  blockedPrefixes: [],
  allowedPrefixes: [],
});

function sources(
  overrides: Partial<Omit<DeviceSettingsSources, 'device'>> & {
    device?: Partial<DeviceSettingsSources['device']>;
  } = {},
): DeviceSettingsSources {
  return {
    platform: { ...PLATFORM_DEFAULTS },
    tenant: { id: 'tenant', defaultProfile: null },
    group: null,
    phonemapGroup: null,
    ...overrides,
    device: { id: 'device', vendor: 'yealink', model: 'T46S', profile: null, overrides: {}, ...overrides.device },
  };
}

describe('effectiveSettings: one layer at a time', () => {
  it('gives platform defaults with source platform and no source id', () => {
    const result = effectiveSettings(sources());
    expect(result.settings.timeZone).toEqual({ value: 'UTC', source: 'platform', sourceId: null });
    expect(result.settings.sipPort).toEqual({ value: 5060, source: 'platform', sourceId: null });
    expect(result.profile).toBeNull();
  });

  it('lets the tenant default profile override the platform, naming the profile', () => {
    const result = effectiveSettings(
      sources({ tenant: { id: 'tenant', defaultProfile: profile('p-tenant', { timeZone: 'Europe/Berlin' }) } }),
    );
    expect(result.settings.timeZone).toEqual({ value: 'Europe/Berlin', source: 'tenant', sourceId: 'p-tenant' });
    expect(result.settings.language).toEqual({ value: 'en', source: 'platform', sourceId: null });
    expect(result.profile).toEqual({ id: 'p-tenant', via: 'tenant' });
  });

  it('layers the group profile over the tenant default; keys it does not set fall through', () => {
    const result = effectiveSettings(
      sources({
        tenant: {
          id: 'tenant',
          defaultProfile: profile('p-tenant', { timeZone: 'Europe/Berlin', ntpServer: 'ntp.tenant.example' }),
        },
        group: { id: 'g1', profile: profile('p-group', { timeZone: 'Europe/Zurich' }), classOfService: null },
      }),
    );
    expect(result.settings.timeZone).toEqual({ value: 'Europe/Zurich', source: 'profile', sourceId: 'p-group' });
    expect(result.settings.ntpServer).toEqual({ value: 'ntp.tenant.example', source: 'tenant', sourceId: 'p-tenant' });
    expect(result.profile).toEqual({ id: 'p-group', via: 'group' });
  });

  it('prefers the device profile override to the group profile', () => {
    const result = effectiveSettings(
      sources({
        group: { id: 'g1', profile: profile('p-group', { language: 'de' }), classOfService: null },
        device: { profile: profile('p-device', { language: 'fr' }) },
      }),
    );
    expect(result.settings.language).toEqual({ value: 'fr', source: 'profile', sourceId: 'p-device' });
    expect(result.profile).toEqual({ id: 'p-device', via: 'device' });
  });

  it('reports a chosen profile that is the tenant default as the tenant layer (no double application)', () => {
    const shared = profile('p-shared', { language: 'it' });
    const result = effectiveSettings(
      sources({
        tenant: { id: 'tenant', defaultProfile: shared },
        group: { id: 'g', profile: shared, classOfService: null },
      }),
    );
    expect(result.settings.language).toEqual({ value: 'it', source: 'tenant', sourceId: 'p-shared' });
    expect(result.profile).toEqual({ id: 'p-shared', via: 'group' });
  });

  it('takes the class of service from the group, and from the PhoneMap group when line 1 is bound to one', () => {
    const group = { id: 'g1', profile: null, classOfService: cos('cos-group') };
    expect(effectiveSettings(sources({ group })).settings.classOfService).toMatchObject({
      source: 'group',
      sourceId: 'g1',
      value: { id: 'cos-group' },
    });
    const mapped = effectiveSettings(sources({ group, phonemapGroup: { id: 'pm1', classOfService: cos('cos-pm') } }));
    expect(mapped.settings.classOfService).toMatchObject({
      source: 'phonemap-group',
      sourceId: 'pm1',
      value: { id: 'cos-pm' },
    });
  });

  it('lets device overrides win over everything', () => {
    const result = effectiveSettings(
      sources({
        tenant: { id: 'tenant', defaultProfile: profile('p-tenant', { sipServer: 'sip.tenant.example' }) },
        device: {
          profile: profile('p-device', { sipServer: 'sip.profile.example' }),
          overrides: { sipServer: 'sip.device.example' },
        },
      }),
    );
    expect(result.settings.sipServer).toEqual({ value: 'sip.device.example', source: 'device', sourceId: 'device' });
  });
});

describe('effectiveSettings: firmware and raw keys', () => {
  it('resolves the firmware map entry for the device model, loosely matched', () => {
    const result = effectiveSettings(
      sources({
        tenant: {
          id: 'tenant',
          defaultProfile: profile('p-tenant', {
            firmware: { t46s: 'https://fw.example/tenant.rom', T48S: 'https://fw.example/48.rom' },
          }),
        },
        device: { model: 'T46S' },
      }),
    );
    expect(result.settings.firmwareUrl).toEqual({
      value: 'https://fw.example/tenant.rom',
      source: 'tenant',
      sourceId: 'p-tenant',
    });
    const none = effectiveSettings(
      sources({
        tenant: { id: 't', defaultProfile: profile('p', { firmware: { T48S: 'https://fw.example/48.rom' } }) },
      }),
    );
    expect(none.settings.firmwareUrl).toBeUndefined();
  });

  it('merges raw keys of the device vendor only, per key, the chosen profile winning', () => {
    const result = effectiveSettings(
      sources({
        tenant: {
          id: 't',
          defaultProfile: profile('p-tenant', {}, { yealink: { 'a.b': '1', 'c.d': '2' }, snom: { x: '9' } }),
        },
        device: { profile: profile('p-device', {}, { yealink: { 'c.d': '3' } }) },
      }),
    );
    expect(result.rawKeys).toEqual({
      'a.b': { value: '1', source: 'tenant', sourceId: 'p-tenant' },
      'c.d': { value: '3', source: 'profile', sourceId: 'p-device' },
    });
    expect(effectiveValues(result).rawKeys).toEqual({ 'a.b': '1', 'c.d': '3' });
  });
});

describe('effectiveSettings: properties', () => {
  const layerValue = fc.option(fc.constantFrom('Europe/Berlin', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo'), {
    nil: undefined,
  });

  it('every value comes from the highest layer that sets it, and the output is independent of key order', () => {
    fc.assert(
      fc.property(layerValue, layerValue, layerValue, fc.boolean(), (tenantZone, profileZone, deviceZone, viaGroup) => {
        const chosen = profile('p-chosen', profileZone ? { timeZone: profileZone } : {});
        const input = sources({
          tenant: { id: 't', defaultProfile: profile('p-tenant', tenantZone ? { timeZone: tenantZone } : {}) },
          group: viaGroup ? { id: 'g', profile: chosen, classOfService: null } : null,
          device: { profile: viaGroup ? null : chosen, overrides: deviceZone ? { timeZone: deviceZone } : {} },
        });
        const expected = deviceZone
          ? { value: deviceZone, source: 'device', sourceId: 'device' }
          : profileZone
            ? { value: profileZone, source: 'profile', sourceId: 'p-chosen' }
            : tenantZone
              ? { value: tenantZone, source: 'tenant', sourceId: 'p-tenant' }
              : { value: 'UTC', source: 'platform', sourceId: null };
        const result = effectiveSettings(input);
        expect(result.settings.timeZone).toEqual(expected);
        expect(JSON.stringify(effectiveSettings(structuredClone(input)))).toBe(JSON.stringify(result));
        expect(Object.keys(result.settings)).toEqual(Object.keys(result.settings).sort());
      }),
    );
  });

  it('does not mutate its input', () => {
    const input = sources({
      tenant: { id: 't', defaultProfile: profile('p', { language: 'de' }, { yealink: { k: 'v' } }) },
    });
    const copy = structuredClone(input);
    effectiveSettings(input);
    expect(input).toEqual(copy);
  });
});
