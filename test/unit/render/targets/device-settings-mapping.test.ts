import { describe, expect, it } from 'vitest';
import type { ClassOfServiceSource, EffectiveSettings } from '#src/modules/settings/effective-settings.js';
import { dialPlanOf, dialPrefixes, renderSettingsOf } from '#src/modules/render/targets/device-settings.mapping.js';
import { withoutSecrets } from '#src/modules/render/targets/redact.js';

const cos = (
  level: ClassOfServiceSource['level'],
  extra: Partial<ClassOfServiceSource> = {},
): ClassOfServiceSource => ({
  id: 'c1',
  name: 'CoS',
  level,
  blockedPrefixes: [],
  allowedPrefixes: [],
  ...extra,
});

const inherited = (
  settings: EffectiveSettings['settings'],
  rawKeys: EffectiveSettings['rawKeys'] = {},
): EffectiveSettings => ({ profile: null, settings, rawKeys });

describe('dialling prefixes from the tenant country', () => {
  it('uses the country numbering plan, else the renderer defaults', () => {
    expect(dialPrefixes('DE')).toEqual({ internationalPrefix: '00', nationalPrefix: '0' });
    expect(dialPrefixes('US')).toEqual({ internationalPrefix: '011', nationalPrefix: '1' });
    expect(dialPrefixes('JP')).toEqual({ internationalPrefix: '010', nationalPrefix: '0' });
    // Spain has no national trunk prefix: only the international one is known.
    expect(dialPrefixes('ES')).toEqual({ internationalPrefix: '00' });
    // Australia's IDD is a pattern; the fixed default IDD prefix is used.
    expect(dialPrefixes('AU')).toEqual({ internationalPrefix: '0011', nationalPrefix: '0' });
    expect(dialPrefixes(null)).toEqual({});
    expect(dialPrefixes('ZZ')).toEqual({});
  });
});

describe('class of service → dial plan', () => {
  it('maps the three levels', () => {
    expect(dialPlanOf(cos('internal'), 'DE').plan).toMatchObject({ allowNational: false, allowInternational: false });
    expect(dialPlanOf(cos('national'), 'DE').plan).toMatchObject({ allowNational: true, allowInternational: false });
    expect(dialPlanOf(cos('international'), 'US').plan).toEqual({
      name: 'CoS',
      allowNational: true,
      allowInternational: true,
      internationalPrefix: '011',
      nationalPrefix: '1',
    });
  });

  it('warns that prefix lists stay with the PBX', () => {
    expect(dialPlanOf(cos('national'), 'DE').warnings).toEqual([]);
    expect(dialPlanOf(cos('national', { blockedPrefixes: ['0900'] }), 'DE').warnings).toEqual([
      'class of service "CoS": blocked and allowed prefixes are enforced by the PBX only; phones get the national level restriction',
    ]);
  });
});

describe('inherited settings → renderer settings', () => {
  it('passes every neutral value, the raw keys, and the class of service as a dial plan', () => {
    const mapped = renderSettingsOf(
      inherited(
        {
          timeZone: { value: 'Europe/Berlin', source: 'tenant', sourceId: 'p' },
          ntpServer: { value: 'ntp.example', source: 'tenant', sourceId: 'p' },
          language: { value: 'de', source: 'profile', sourceId: 'p' },
          sipServer: { value: 'sip.example', source: 'device', sourceId: 'd' },
          sipPort: { value: 5070, source: 'profile', sourceId: 'p' },
          sipTransport: { value: 'tcp', source: 'profile', sourceId: 'p' },
          provisioningUrl: { value: 'https://p.example', source: 'platform', sourceId: null },
          firmwareUrl: { value: 'https://fw.example/a.rom', source: 'tenant', sourceId: 'p' },
          adminPassword: { value: 'secret!1', source: 'tenant', sourceId: 'p' },
          phonebookRefreshSeconds: { value: 7200, source: 'platform', sourceId: null },
          classOfService: { value: cos('internal'), source: 'group', sourceId: 'g' },
        },
        { 'features.x': { value: '1', source: 'profile', sourceId: 'p' } },
      ),
      'DE',
    );
    expect(mapped).toEqual({
      settings: {
        timeZone: 'Europe/Berlin',
        ntpServer: 'ntp.example',
        language: 'de',
        sipServer: 'sip.example',
        sipPort: 5070,
        sipTransport: 'tcp',
        provisioningUrl: 'https://p.example',
        firmwareUrl: 'https://fw.example/a.rom',
        adminPassword: 'secret!1',
        phonebookRefreshSeconds: 7200,
        dialPlan: {
          name: 'CoS',
          allowNational: false,
          allowInternational: false,
          internationalPrefix: '00',
          nationalPrefix: '0',
        },
      },
      rawKeys: { 'features.x': '1' },
      warnings: [],
    });
  });

  it('leaves a platform-only SIP port to the transport (TLS → 5061, NAPTR → none)', () => {
    const platformPort = {
      sipPort: { value: 5060, source: 'platform' as const, sourceId: null },
      sipTransport: { value: 'tls' as const, source: 'tenant' as const, sourceId: 'p' },
    };
    expect(renderSettingsOf(inherited(platformPort), null).settings).toEqual({ sipTransport: 'tls' });
    const tenantPort = { ...platformPort, sipPort: { value: 5060, source: 'tenant' as const, sourceId: 'p' } };
    expect(renderSettingsOf(inherited(tenantPort), null).settings).toEqual({ sipTransport: 'tls', sipPort: 5060 });
  });
});

describe('error messages without secrets', () => {
  it('replaces every known secret and drops the original stack', () => {
    const original = new Error('insert failed near "pa$$word-long" and "pa$$word"');
    const clean = withoutSecrets(original, ['pa$$word', 'pa$$word-long', '']);
    expect(clean.message).toBe('insert failed near "[secret]" and "[secret]"');
    expect(clean).not.toBe(original);
    expect(clean.stack).not.toContain('pa$$word');
  });

  it('returns the error untouched when it holds no secret', () => {
    const original = new Error('line 1 has no SIP server');
    expect(withoutSecrets(original, ['pa$$word'])).toBe(original);
    expect(withoutSecrets('plain text', []).message).toBe('plain text');
  });
});
