import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Value } from '@sinclair/typebox/value';
import {
  driverConfigFor,
  ratePerSecondOf,
  type StoredNotifierSettings,
} from '#src/modules/notify/settings/notifier-driver-config.js';
import { notifierSettingsView } from '#src/modules/notify/settings/notifier-settings.service.js';
import type { TenantNotifierSettings } from '#src/modules/notify/settings/notifier-settings.entity.js';
import { NotifierPool } from '#src/modules/notify/jobs/notifier-pool.js';
import { ResyncEventOverrideSchema } from '#src/modules/notify/resync-overrides.schema.js';
import { RESYNC_VENDORS, resolveResyncEvent } from '#src/modules/notify/resync-events.js';
import type { Notifier, NotifierDriverConfig } from '#src/modules/notify/notifier.js';
import { memoryLogger } from './peers/memory-logger.js';

const stored = (fields: Partial<StoredNotifierSettings>): StoredNotifierSettings => ({
  driver: 'none',
  options: {},
  secret: null,
  ratePerSecond: null,
  version: 'v1',
  ...fields,
});

describe('driverConfigFor', () => {
  it('builds each driver from the stored options and credential, with the platform SIP timer', () => {
    const config = { notifySipT1Ms: 80 };
    expect(
      driverConfigFor(stored({ driver: 'sip', options: { transport: 'tcp', fromDomain: 'pbx.example.net' } }), config),
    ).toMatchObject({
      driver: 'sip',
      transport: 'tcp',
      fromDomain: 'pbx.example.net',
      t1Ms: 80,
    });
    expect(
      driverConfigFor(
        stored({ driver: 'asterisk-ami', options: { host: '[::1]', port: 5039, username: 'provd' }, secret: 's3' }),
        config,
      ),
    ).toEqual({
      driver: 'asterisk-ami',
      host: '::1',
      port: 5039,
      username: 'provd',
      secret: 's3',
    });
    expect(
      driverConfigFor(
        stored({
          driver: 'freeswitch',
          options: { host: 'fs', profile: 'internal', domain: 'voip.example.net' },
          secret: 'pw',
        }),
        config,
      ),
    ).toMatchObject({
      driver: 'freeswitch',
      password: 'pw',
      profile: 'internal',
      defaultDomain: 'voip.example.net',
    });
    expect(driverConfigFor(null, config)).toEqual({ driver: 'none' });
  });

  it('uses the tenant rate when set, else the platform default', () => {
    expect(ratePerSecondOf(stored({ ratePerSecond: 5 }), { notifyRatePerSecond: 20 })).toBe(5);
    expect(ratePerSecondOf(null, { notifyRatePerSecond: 20 })).toBe(20);
  });
});

describe('notifierSettingsView', () => {
  it('says a credential is stored without showing it', () => {
    const row = {
      driver: 'asterisk-ami',
      options: { host: 'pbx', username: 'provd' },
      secret: 'view-canary',
      ratePerSecond: null,
      updatedAt: new Date(0),
    } as unknown as TenantNotifierSettings;
    const view = notifierSettingsView(row, 20);
    expect(view).toEqual({
      driver: 'asterisk-ami',
      ratePerSecond: null,
      effectiveRatePerSecond: 20,
      updatedAt: '1970-01-01T00:00:00.000Z',
      ami: { host: 'pbx', username: 'provd', secretSet: true },
    });
    expect(JSON.stringify(view)).not.toContain('view-canary');
  });

  it('shows "none" for a tenant that never chose', () => {
    expect(notifierSettingsView(null, 20)).toEqual({
      driver: 'none',
      ratePerSecond: null,
      effectiveRatePerSecond: 20,
      updatedAt: null,
    });
  });
});

describe('NotifierPool', () => {
  it('keeps one driver per tenant until its settings change, and closes them all', async () => {
    const built: Array<{ config: NotifierDriverConfig; closed: boolean }> = [];
    const factory = (config: NotifierDriverConfig): Notifier => {
      const entry = { config, closed: false };
      built.push(entry);
      return {
        notify: async () => ({ ok: true, reason: 'ok', retryable: false }),
        close: async () => void (entry.closed = true),
      };
    };
    const pool = new NotifierPool({ notifySipT1Ms: 500 }, memoryLogger().logger, factory);
    const v1 = stored({ driver: 'sip', version: 'sip@1' });
    expect(pool.get('a', v1)).toBe(pool.get('a', v1));
    pool.get('b', v1);
    expect(built).toHaveLength(2);
    pool.get('a', stored({ driver: 'sip', version: 'sip@2' }));
    expect(built).toHaveLength(3);
    expect(built[0]!.closed).toBe(true);
    await pool.close();
    expect(built.every((entry) => entry.closed)).toBe(true);
    expect(() => pool.get('a', v1)).toThrow(/closed/);
  });
});

describe('resyncEvents profile override schema', () => {
  const text = fc.string({
    unit: fc.constantFrom('a', 'Z', '-', ';', '=', ' ', '\r', '\n', '\0', '/', '+', 'é'),
    maxLength: 30,
  });
  const override = fc.record(
    { event: text, contentType: fc.oneof(text, fc.constant('text/plain'), fc.constant('')), body: text },
    { requiredKeys: [] },
  );

  it('accepts exactly what resolveResyncEvent can send', () => {
    fc.assert(
      fc.property(override, fc.constantFrom(...RESYNC_VENDORS), fc.boolean(), (value, vendor, reboot) => {
        const overrides = reboot ? { rebootEvent: value } : value;
        const valid = Value.Check(ResyncEventOverrideSchema, overrides);
        let sendable = true;
        try {
          resolveResyncEvent(vendor, { reboot, overrides });
        } catch {
          sendable = false;
        }
        if (valid) expect(sendable).toBe(true);
      }),
    );
  });

  it('refuses a line break in an event', () => {
    expect(Value.Check(ResyncEventOverrideSchema, { event: 'check-sync\r\nX: y' })).toBe(false);
    expect(Value.Check(ResyncEventOverrideSchema, { event: '   ' })).toBe(false);
    expect(Value.Check(ResyncEventOverrideSchema, { event: 'resync', rebootEvent: { event: 'reboot' } })).toBe(true);
  });
});
