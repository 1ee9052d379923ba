import { BadRequestError } from '../../errors/errors.js';
import { MASKED, maskJson } from '../audit/audit.mask.js';
import { SECRET_SETTING_KEYS } from './settings.schema.js';

/**
 * An IANA zone the runtime knows, in its canonical spelling ("europe/berlin" → "Europe/Berlin").
 * Offsets and abbreviations ("+01:00", "CET" aside, which IANA keeps) are refused by the pattern
 * in the schema before this runs.
 */
export function canonicalTimeZone(zone: string, field: string): string {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new BadRequestError('invalid_time_zone', `${zone} is not an IANA time zone`, { field });
  }
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
}

/** Checks the parts of a settings object a JSON schema cannot, returning the normalised copy. */
export function checkSettings<T extends { timeZone?: string }>(settings: T, field: string): T {
  if (settings.timeZone === undefined) return settings;
  return { ...settings, timeZone: canonicalTimeZone(settings.timeZone, `${field}.timeZone`) };
}

/** A settings object as a viewer sees it: secret values replaced by "[masked]". */
export function maskSecretSettings<T extends object>(settings: T): T {
  const copy = { ...settings } as Record<string, unknown>;
  for (const key of Object.keys(copy))
    if (SECRET_SETTING_KEYS.has(key) && copy[key] !== undefined && copy[key] !== null) copy[key] = MASKED;
  return copy as T;
}

/** Effective settings as a viewer sees them: secret settings and password-like raw keys masked. */
export function maskEffectiveSettings<
  T extends { settings: Record<string, { value: unknown }>; rawKeys: Record<string, { value: unknown }> },
>(effective: T): T {
  const settings: Record<string, { value: unknown }> = {};
  for (const [key, entry] of Object.entries(effective.settings))
    settings[key] = SECRET_SETTING_KEYS.has(key) ? { ...entry, value: MASKED } : entry;
  const rawValues = maskJson(
    Object.fromEntries(Object.entries(effective.rawKeys).map(([key, entry]) => [key, entry.value])),
  ) as Record<string, unknown>;
  const rawKeys: Record<string, { value: unknown }> = {};
  for (const [key, entry] of Object.entries(effective.rawKeys)) rawKeys[key] = { ...entry, value: rawValues[key] };
  return { ...effective, settings, rawKeys };
}
