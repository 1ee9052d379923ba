import { describe, expect, it } from 'vitest';
import { formatSipUri, parseSipUri } from '#src/modules/notify/sip/sip-uri.js';
import { requestUriFor } from '#src/modules/notify/sip/sip-notifier.js';

function parsed(input: string) {
  const result = parseSipUri(input);
  if (!result.ok) throw new Error(result.problem);
  return result.uri;
}

describe('parseSipUri', () => {
  it('reads a plain contact with port and transport', () => {
    const uri = parsed('sip:100@10.0.0.5:5062;transport=TCP');
    expect(uri).toMatchObject({ scheme: 'sip', user: '100', host: '10.0.0.5', port: 5062 });
    expect(uri.params.get('transport')).toBe('TCP');
    expect(formatSipUri(uri)).toBe('sip:100@10.0.0.5:5062;transport=TCP');
  });

  it('unwraps a Contact header value and drops its header parameters and URI headers', () => {
    const uri = parsed('"Desk 1" <sip:100@phone.example.com;line=abc?X-Foo=bar>;expires=3600;+sip.instance="<urn:x>"');
    expect(uri.host).toBe('phone.example.com');
    expect(formatSipUri(uri)).toBe('sip:100@phone.example.com;line=abc');
  });

  it('is not fooled by angle brackets inside a quoted display name', () => {
    expect(formatSipUri(parsed('"Front \\"desk\\" <1>" <sip:101@10.0.0.9>'))).toBe('sip:101@10.0.0.9');
  });

  it('handles IPv6 literals and drops a password from the user part', () => {
    const uri = parsed('sip:alice:secret@[2001:db8::1]:5070');
    expect(uri).toMatchObject({ user: 'alice', host: '2001:db8::1', port: 5070 });
    expect(formatSipUri(uri)).toBe('sip:alice@[2001:db8::1]:5070');
  });

  it('accepts a URI without user part and a sips scheme', () => {
    expect(parsed('sip:192.0.2.7')).toMatchObject({ host: '192.0.2.7', user: undefined, port: undefined });
    expect(parsed('SIPS:100@example.com').scheme).toBe('sips');
  });

  it.each([
    'http://example.com',
    'sip:100@',
    'sip:100@host:99999',
    'sip:100@host:0',
    'sip:10 0@host',
    'sip:100@[::1',
    'sip:100@[not-ipv6]',
    'sip:100@exa mple.com',
    '<sip:100@host',
    'sip:100@host;a=b c',
    'sip:100@host\r\nVia: x',
  ])('rejects %j', (input) => {
    expect(parseSipUri(input).ok).toBe(false);
  });
});

describe('requestUriFor', () => {
  it('prefers the registered contact', () => {
    const result = requestUriFor({
      vendor: 'yealink',
      mac: '001565aabbcc',
      contactUri: 'sip:7@10.1.1.1:5080',
      lastSeenIp: '10.9.9.9',
    });
    expect(result.ok && formatSipUri(result.uri)).toBe('sip:7@10.1.1.1:5080');
  });

  it('falls back to the last-seen address with the SIP user', () => {
    const result = requestUriFor({ vendor: 'snom', mac: '000413aabbcc', lastSeenIp: '2001:db8::5', sipUser: '200' });
    expect(result.ok && formatSipUri(result.uri)).toBe('sip:200@[2001:db8::5]');
  });

  it('reports a missing or broken address instead of guessing', () => {
    expect(requestUriFor({ vendor: 'snom', mac: '000413aabbcc' })).toEqual({
      ok: false,
      reason: 'no contact URI or last-seen address',
    });
    expect(requestUriFor({ vendor: 'snom', mac: '000413aabbcc', lastSeenIp: 'phone.local' }).ok).toBe(false);
    expect(requestUriFor({ vendor: 'snom', mac: '000413aabbcc', contactUri: 'tel:+15551234' }).ok).toBe(false);
  });
});
