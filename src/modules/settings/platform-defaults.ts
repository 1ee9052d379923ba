import type { DeviceOverrideValues } from './settings.schema.js';

/**
 * The bottom layer of settings inheritance: what every device gets unless a tenant, profile,
 * group or device says otherwise. Deliberately small: a value here must be right for any phone
 * anywhere (UTC rather than a guessed zone, the SIP standard port and transport).
 */
export const PLATFORM_DEFAULTS: Readonly<DeviceOverrideValues> = Object.freeze({
  timeZone: 'UTC',
  language: 'en',
  sipPort: 5060,
  sipTransport: 'udp',
  phonebookRefreshSeconds: 3600,
});

/** Platform layer for this installation: the defaults plus the URL phones reach this server at (config publicPhoneUrl). */
export function platformDefaults(publicPhoneUrl: string): DeviceOverrideValues {
  return { ...PLATFORM_DEFAULTS, provisioningUrl: publicPhoneUrl };
}
