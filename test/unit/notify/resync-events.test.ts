import { describe, expect, it } from 'vitest';
import { BadRequestError } from '#src/errors/errors.js';
import { RESYNC_VENDORS, isResyncVendor, resolveResyncEvent } from '#src/modules/notify/resync-events.js';

describe('vendor resync events', () => {
  it.each([
    ['yealink', { event: 'check-sync' }],
    ['poly', { event: 'check-sync' }],
    ['cisco-mpp', { event: 'resync' }],
    ['cisco-enterprise', { event: 'service-control', contentType: 'text/plain', body: 'action=restart' }],
    ['grandstream', { event: 'check-sync' }],
    ['snom', { event: 'check-sync;reboot=false' }],
    ['fanvil', { event: 'check-sync' }],
    ['gigaset', { event: 'check-sync;reboot=false' }],
  ] as const)('%s resyncs without reboot by default', (vendor, expected) => {
    expect(resolveResyncEvent(vendor, { reboot: false })).toEqual(expected);
  });

  it.each([
    ['yealink', { event: 'check-sync;reboot=true' }],
    ['snom', { event: 'check-sync;reboot=true' }],
    ['gigaset', { event: 'check-sync;reboot=true' }],
    ['cisco-enterprise', { event: 'service-control', contentType: 'text/plain', body: 'action=reset' }],
  ] as const)('%s has a distinct reboot variant', (vendor, expected) => {
    expect(resolveResyncEvent(vendor, { reboot: true })).toEqual(expected);
    expect(resolveResyncEvent(vendor, { reboot: true })).not.toEqual(resolveResyncEvent(vendor, { reboot: false }));
  });

  it('covers every vendor family with a non-empty event in both variants', () => {
    expect(RESYNC_VENDORS).toHaveLength(8);
    for (const vendor of RESYNC_VENDORS) {
      expect(resolveResyncEvent(vendor, { reboot: false }).event).not.toBe('');
      expect(resolveResyncEvent(vendor, { reboot: true }).event).not.toBe('');
    }
    expect(isResyncVendor('snom')).toBe(true);
    expect(isResyncVendor('aastra')).toBe(false);
  });

  it('applies per-profile overrides to the chosen variant only', () => {
    const overrides = { event: 'resync', rebootEvent: { event: 'reboot' } };
    expect(resolveResyncEvent('grandstream', { reboot: false, overrides })).toEqual({ event: 'resync' });
    expect(resolveResyncEvent('grandstream', { reboot: true, overrides })).toEqual({ event: 'reboot' });
    expect(resolveResyncEvent('grandstream', { reboot: true, overrides: { event: 'resync' } })).toEqual({
      event: 'check-sync;reboot=true',
    });
  });

  it('merges overrides field by field and lets a profile drop a body', () => {
    expect(
      resolveResyncEvent('cisco-enterprise', {
        reboot: false,
        overrides: { body: 'action=restart\r\nRegisterCallId={x}' },
      }),
    ).toEqual({
      event: 'service-control',
      contentType: 'text/plain',
      body: 'action=restart\r\nRegisterCallId={x}',
    });
    expect(
      resolveResyncEvent('cisco-enterprise', {
        reboot: false,
        overrides: { event: 'check-sync', body: '', contentType: '' },
      }),
    ).toEqual({
      event: 'check-sync',
    });
    expect(resolveResyncEvent('yealink', { reboot: false, overrides: { event: undefined } })).toEqual({
      event: 'check-sync',
    });
  });

  it('gives a body without a content type text/plain', () => {
    expect(resolveResyncEvent('fanvil', { reboot: false, overrides: { body: 'hello' } })).toEqual({
      event: 'check-sync',
      contentType: 'text/plain',
      body: 'hello',
    });
  });

  it('refuses overrides that would inject header lines', () => {
    expect(() =>
      resolveResyncEvent('yealink', { reboot: false, overrides: { event: 'check-sync\r\nX-Evil: 1' } }),
    ).toThrow(BadRequestError);
    expect(() => resolveResyncEvent('yealink', { reboot: false, overrides: { event: '   ' } })).toThrow(
      BadRequestError,
    );
    expect(() =>
      resolveResyncEvent('yealink', { reboot: false, overrides: { contentType: 'text/plain\nX: y', body: 'b' } }),
    ).toThrow(BadRequestError);
    expect(() =>
      resolveResyncEvent('yealink', { reboot: false, overrides: { contentType: 'not a type', body: 'b' } }),
    ).toThrow(BadRequestError);
  });
});
