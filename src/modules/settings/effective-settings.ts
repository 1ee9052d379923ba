import type { CosLevel } from '../../model/directory/class-of-service.entity.js';
import type { DeviceVendor } from '../../model/directory/device.entity.js';
import type { DeviceOverrideValues, ProfileSettingsValues, RawKeysValues } from './settings.schema.js';

/**
 * Settings inheritance, as a pure function shared by the admin API (provenance view) and the
 * renderer (values). Layers, lowest first — the rule is written out in docs/settings.md:
 *
 *   platform  built-in defaults (+ the configured public phone URL)
 *   tenant    the tenant's default profile
 *   profile   the device's profile: its own override, else the profile of the group below, else
 *             none beyond the tenant default (a profile equal to the tenant default adds nothing)
 *   group     the home group of the account on the device's first bound line: its class of service
 *   phonemap-group  when that line is bound to a PhoneMap group: that group's class of service
 *   device    the device's own overrides
 *
 * A higher layer replaces a key as a whole; a layer that does not set a key leaves it alone.
 */

export type SettingsSource = 'platform' | 'tenant' | 'profile' | 'group' | 'phonemap-group' | 'device';
export type ProfileVia = 'device' | 'group' | 'tenant';

export interface ProfileSource {
  id: string;
  settings: ProfileSettingsValues;
  rawKeys: RawKeysValues;
}

export interface ClassOfServiceSource {
  id: string;
  name: string;
  level: CosLevel;
  blockedPrefixes: string[];
  allowedPrefixes: string[];
}

export interface DeviceSettingsSources {
  platform: DeviceOverrideValues;
  tenant: { id: string; defaultProfile: ProfileSource | null };
  device: {
    id: string;
    vendor: DeviceVendor;
    model: string | null;
    profile: ProfileSource | null;
    overrides: DeviceOverrideValues;
  };
  /** Home group of the account on the first bound line (PhoneMap-bound: of the active member's account). */
  group: { id: string; profile: ProfileSource | null; classOfService: ClassOfServiceSource | null } | null;
  /** The PhoneMap group on the first bound line, when that line is bound to one. */
  phonemapGroup: { id: string; classOfService: ClassOfServiceSource } | null;
}

type ScalarSettings = Required<DeviceOverrideValues>;
export type EffectiveValues = { [K in keyof ScalarSettings]?: ScalarSettings[K] } & {
  classOfService?: ClassOfServiceSource;
};
export type EffectiveKey = keyof EffectiveValues;

export interface Provenanced<T = unknown> {
  value: T;
  source: SettingsSource;
  /** Id of the row holding the value: the profile for tenant/profile, the group, the device; null for platform. */
  sourceId: string | null;
}

export interface EffectiveSettings {
  /** The profile chosen for the device and why; null when neither device, group nor tenant names one. */
  profile: { id: string; via: ProfileVia } | null;
  settings: { [K in EffectiveKey]?: Provenanced<NonNullable<EffectiveValues[K]>> };
  /** Raw keys for the device's vendor only. */
  rawKeys: Record<string, Provenanced<string>>;
}

/** Model names compare without case, spaces, dots, dashes or underscores: "SIP-T46S" ≠ "T46S", "t46s" = "T46S". */
function modelKey(model: string): string {
  return model.toUpperCase().replace(/[\s_.-]/g, '');
}

function firmwareFor(firmware: Record<string, string> | undefined, model: string | null): string | undefined {
  if (!firmware || !model) return undefined;
  const wanted = modelKey(model);
  const key = Object.keys(firmware)
    .sort()
    .find((candidate) => modelKey(candidate) === wanted);
  return key === undefined ? undefined : firmware[key];
}

function chooseProfile(
  sources: DeviceSettingsSources,
): (EffectiveSettings['profile'] & { source: ProfileSource }) | null {
  if (sources.device.profile) return { id: sources.device.profile.id, via: 'device', source: sources.device.profile };
  if (sources.group?.profile) return { id: sources.group.profile.id, via: 'group', source: sources.group.profile };
  const fallback = sources.tenant.defaultProfile;
  return fallback ? { id: fallback.id, via: 'tenant', source: fallback } : null;
}

export function effectiveSettings(sources: DeviceSettingsSources): EffectiveSettings {
  const settings: Record<string, Provenanced> = {};
  const rawKeys: Record<string, Provenanced<string>> = {};
  const { vendor, model } = sources.device;

  const applyScalars = (values: DeviceOverrideValues, source: SettingsSource, sourceId: string | null) => {
    for (const [key, value] of Object.entries(values)) {
      if (value !== undefined && value !== null) settings[key] = { value, source, sourceId };
    }
  };
  const applyProfile = (profile: ProfileSource, source: SettingsSource) => {
    const { firmware, ...scalars } = profile.settings;
    applyScalars(scalars, source, profile.id);
    const firmwareUrl = firmwareFor(firmware, model);
    if (firmwareUrl !== undefined) settings.firmwareUrl = { value: firmwareUrl, source, sourceId: profile.id };
    for (const [key, value] of Object.entries(profile.rawKeys[vendor] ?? {}))
      rawKeys[key] = { value, source, sourceId: profile.id };
  };

  applyScalars(sources.platform, 'platform', null);
  const tenantProfile = sources.tenant.defaultProfile;
  if (tenantProfile) applyProfile(tenantProfile, 'tenant');
  const chosen = chooseProfile(sources);
  if (chosen && chosen.id !== tenantProfile?.id) applyProfile(chosen.source, 'profile');
  if (sources.group?.classOfService)
    settings.classOfService = { value: sources.group.classOfService, source: 'group', sourceId: sources.group.id };
  if (sources.phonemapGroup) {
    settings.classOfService = {
      value: sources.phonemapGroup.classOfService,
      source: 'phonemap-group',
      sourceId: sources.phonemapGroup.id,
    };
  }
  applyScalars(sources.device.overrides, 'device', sources.device.id);

  return {
    profile: chosen ? { id: chosen.id, via: chosen.via } : null,
    settings: sortedRecord(settings) as EffectiveSettings['settings'],
    rawKeys: sortedRecord(rawKeys),
  };
}

/** The values alone, for the renderer. */
export function effectiveValues(effective: EffectiveSettings): {
  settings: EffectiveValues;
  rawKeys: Record<string, string>;
} {
  const settings: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(effective.settings)) settings[key] = entry.value;
  const rawKeys: Record<string, string> = {};
  for (const [key, entry] of Object.entries(effective.rawKeys)) rawKeys[key] = entry.value;
  return { settings: settings as EffectiveValues, rawKeys };
}

/** Keys in sorted order, so the output (and anything hashed from it) does not depend on layer order. */
function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  const sorted: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) sorted[key] = record[key]!;
  return sorted;
}
