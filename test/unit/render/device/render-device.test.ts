import { describe, expect, it } from 'vitest';
import {
  renderCommonFiles,
  renderDeviceFiles,
  RenderError,
  type DeviceRenderInput,
  type VendorFamily,
} from '#src/modules/render/device/index.js';
import { goldenInput } from './fixtures.js';
import { parseStrict } from './support.js';

const text = (input: DeviceRenderInput, index = 0) => renderDeviceFiles(input).files[index]!.body.toString('utf8');

function yealink(patch: (input: DeviceRenderInput) => void = () => {}): DeviceRenderInput {
  const input = goldenInput('yealink');
  patch(input);
  return input;
}

describe('lines', () => {
  it('drops lines beyond the model and says so', () => {
    const input = yealink((i) => {
      i.model = 'T41S';
      i.lines.push({ ...i.lines[0]!, index: 7 });
    });
    const result = renderDeviceFiles(input);
    expect(result.warnings).toContain('line 7 dropped: model T41S has 6 line(s)');
    expect(result.files[0]!.body.toString()).not.toContain('account.7.');
    expect(result.files[0]!.body.toString()).toContain('account.6.enable = 0\n');
  });

  it('renders a disabled line as a cleared slot', () => {
    const out = text(yealink((i) => (i.lines[1] = { ...i.lines[1]!, enabled: false })));
    expect(out).toContain('account.2.enable = 0\naccount.2.label = %NULL%');
    expect(out).toContain('account.2.password = %NULL%');
  });

  it('refuses duplicate or invalid indexes and lines without a server', () => {
    expect(() => renderDeviceFiles(yealink((i) => (i.lines[1] = { ...i.lines[1]!, index: 1 })))).toThrow(
      /assigned twice/,
    );
    expect(() => renderDeviceFiles(yealink((i) => (i.lines[1] = { ...i.lines[1]!, index: 0 })))).toThrow(RenderError);
    expect(() => renderDeviceFiles(yealink((i) => delete i.settings.sipServer))).toThrow(/no SIP server/);
    expect(() => renderDeviceFiles(yealink((i) => (i.settings.sipServer = 'sip.example.net;evil=1')))).toThrow(
      /not a host name/,
    );
    expect(() => renderDeviceFiles(yealink((i) => (i.settings.sipPort = 70000)))).toThrow(/1 to 65535/);
    expect(() => renderDeviceFiles(yealink((i) => (i.settings.sipTransport = 'sctp' as 'udp')))).toThrow(/transport/);
  });

  it('uses DNS NAPTR the way each vendor expects', () => {
    const naptr = (vendor: VendorFamily) => {
      const input = goldenInput(vendor);
      input.settings.sipTransport = 'dns-naptr';
      delete input.settings.sipPort;
      return text(input);
    };
    expect(naptr('yealink')).toContain('account.1.sip_server.1.port = 0\naccount.1.sip_server.1.transport_type = 3');
    expect(naptr('cisco-mpp')).toContain(
      '<Proxy_1_ ua="na">sip.example.net</Proxy_1_>\n  <SIP_Transport_1_ ua="na">AUTO</SIP_Transport_1_>',
    );
    expect(naptr('grandstream')).toContain('<P103>2</P103>');
  });

  it('keeps an unknown model and warns', () => {
    const result = renderDeviceFiles(yealink((i) => (i.model = 'T99X')));
    expect(result.warnings.join('\n')).toMatch(/"T99X" is not in the yealink model table; assuming 16 line/);
  });
});

describe('settings', () => {
  it('refuses unusable URLs', () => {
    for (const url of [
      'ftp://prov.example.net/',
      'https://prov.example.net/a b',
      'https://user:pw@prov.example.net/',
      'not a url',
    ]) {
      expect(() => renderDeviceFiles(yealink((i) => (i.settings.provisioningUrl = url)))).toThrow(RenderError);
    }
    expect(() => renderDeviceFiles(yealink((i) => (i.phonebooks[0]!.url = 'javascript:alert(1)')))).toThrow(
      /phonebook 1 URL/,
    );
  });

  it('clamps the Yealink phonebook refresh to the allowed range with a warning', () => {
    const result = renderDeviceFiles(yealink((i) => (i.settings.phonebookRefreshSeconds = 60)));
    expect(result.files[0]!.body.toString()).toContain('features.remote_phonebook.flash_time = 3600\n');
    expect(result.warnings.join('\n')).toMatch(/adjusted to 3600s/);
  });

  it('warns about languages a vendor does not have and renders nothing for them', () => {
    const result = renderDeviceFiles(yealink((i) => (i.settings.language = 'xx')));
    expect(result.warnings.join('\n')).toMatch(/language "xx" has no yealink equivalent/);
    expect(result.files[0]!.body.toString()).not.toContain('lang.gui');
  });

  it('never puts a secret into an error message', () => {
    try {
      renderDeviceFiles(yealink((i) => (i.settings.adminPassword = 'TopSecret\u0000')));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RenderError);
      expect((error as Error).message).toBe(
        'yealink: admin password contains a line break or control character and cannot be provisioned',
      );
    }
  });

  it('refuses an unknown vendor and a MAC that is not canonical', () => {
    expect(() => renderDeviceFiles({ ...goldenInput('yealink'), vendor: 'acme' as VendorFamily })).toThrow(
      /unknown vendor family/,
    );
    expect(() => renderDeviceFiles({ ...goldenInput('yealink'), mac: '00:15:65:9a:1b:2c' })).toThrow(RenderError);
  });
});

describe('raw keys', () => {
  it('win over generated keys and are appended in sorted key order', () => {
    const out = text(yealink((i) => (i.rawKeys = { 'sip.notify_reboot_enable': '1', 'features.dnd.enable': '' })));
    expect(out.endsWith('features.dnd.enable = \nsip.notify_reboot_enable = 1\n')).toBe(true);
    expect(out.match(/sip\.notify_reboot_enable/g)).toHaveLength(1);
  });

  it('replace a Poly attribute instead of duplicating it, keeping the XML well-formed', async () => {
    const input = goldenInput('poly');
    input.rawKeys = { 'voIpProt.SIP.specialEvent.checkSync.alwaysReboot': '1', 'feature.callPark.enabled': '1' };
    const { files } = renderDeviceFiles(input);
    const phone = files[1]!.body.toString();
    expect(phone.match(/checkSync\.alwaysReboot=/g)).toHaveLength(1);
    expect(phone).toContain('checkSync.alwaysReboot="1"');
    await expect(parseStrict(files)).resolves.toHaveLength(2);
  });

  it('must use the vendor key grammar', () => {
    expect(() => renderDeviceFiles(yealink((i) => (i.rawKeys = { 'bad key': '1' })))).toThrow(/not a valid key name/);
    const gs = goldenInput('grandstream');
    gs.rawKeys = { X1: '1' };
    expect(() => renderDeviceFiles(gs)).toThrow(RenderError);
    const fanvil = goldenInput('fanvil');
    fanvil.rawKeys = { NoSection: '1' };
    expect(() => renderDeviceFiles(fanvil)).toThrow(/section.Element/);
  });

  it('add Fanvil sections and Cisco enterprise elements', async () => {
    const fanvil = goldenInput('fanvil');
    fanvil.rawKeys = { 'phone.EnableKeyLock': '0' };
    expect(text(fanvil)).toContain('  <phone>\n    <EnableKeyLock>0</EnableKeyLock>\n  </phone>\n</sysConf>');
    const cisco = goldenInput('cisco-enterprise');
    cisco.rawKeys = { loadInformation: 'SIP75.8-5-4S', idleTimeout: '0' };
    const out = text(cisco);
    expect(out.match(/<loadInformation>/g)).toHaveLength(1);
    expect(out).toContain(
      '  <idleTimeout>0</idleTimeout>\n  <loadInformation>SIP75.8-5-4S</loadInformation>\n</device>',
    );
  });
});

describe('common files', () => {
  it('need a provisioning URL and carry no secrets', () => {
    expect(() => renderCommonFiles('yealink', 'T46S', { provisioningUrl: '' })).toThrow(RenderError);
    const files = renderCommonFiles('poly', 'VVX450', { provisioningUrl: 'https://prov.example.net/' });
    expect(files.map((f) => [f.name, f.carriesSecrets])).toEqual([['000000000000.cfg', false]]);
    expect(files[0]!.body.toString()).toContain('CONFIG_FILES=""');
  });

  it('are empty for an unknown Yealink model and for vendors without one', () => {
    expect(renderCommonFiles('yealink', 'T99X', { provisioningUrl: 'https://p.example.net/' })).toEqual([]);
    expect(renderCommonFiles('gigaset', 'N870', { provisioningUrl: 'https://p.example.net/' })).toEqual([]);
    expect(renderCommonFiles('cisco-enterprise', '7961', { provisioningUrl: 'https://p.example.net/' })).toEqual([]);
  });
});
