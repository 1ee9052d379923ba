import { isSupportedCountry, Metadata } from 'libphonenumber-js';
import type {
  ClassOfServiceSource,
  EffectiveSettings as InheritedSettings,
} from '../../settings/effective-settings.js';
import type { DialPlanInput, EffectiveSettings as RenderSettings, SipTransport } from '../device/index.js';

export interface MappedSettings {
  settings: RenderSettings;
  rawKeys: Record<string, string>;
  warnings: string[];
}

const DIGITS = /^[0-9]{1,6}$/;

/**
 * Dialling prefixes of the tenant's country: international ('00' in most of the world, '011' in
 * North America, '010' in Japan) and national trunk ('0', '1', '8'). Without a country (or with
 * a prefix that is a pattern rather than fixed digits) the renderer's ITU defaults apply.
 */
export function dialPrefixes(country: string | null | undefined): {
  internationalPrefix?: string;
  nationalPrefix?: string;
} {
  if (!country || !isSupportedCountry(country)) return {};
  const metadata = new Metadata();
  metadata.selectNumberingPlan(country);
  // nationalPrefix() exists on the numbering plan but is missing from the library's type declarations.
  const plan = metadata.numberingPlan as
    (NonNullable<Metadata['numberingPlan']> & { nationalPrefix?: () => string | undefined }) | undefined;
  if (!plan) return {};
  const idd = [plan.IDDPrefix(), plan.defaultIDDPrefix()].find((prefix) => prefix !== undefined && DIGITS.test(prefix));
  const national = plan.nationalPrefix?.();
  const prefixes: { internationalPrefix?: string; nationalPrefix?: string } = {};
  if (idd) prefixes.internationalPrefix = idd;
  if (national && DIGITS.test(national) && national !== idd) prefixes.nationalPrefix = national;
  return prefixes;
}

/** Class of service → the renderer's dial-plan restriction, in the tenant's dialling prefixes. */
export function dialPlanOf(
  cos: ClassOfServiceSource,
  country: string | null | undefined,
): { plan: DialPlanInput; warnings: string[] } {
  const warnings: string[] = [];
  if (cos.blockedPrefixes.length > 0 || cos.allowedPrefixes.length > 0) {
    warnings.push(
      `class of service "${cos.name}": blocked and allowed prefixes are enforced by the PBX only; phones get the ${cos.level} level restriction`,
    );
  }
  return {
    plan: {
      name: cos.name,
      allowNational: cos.level !== 'internal',
      allowInternational: cos.level === 'international',
      ...dialPrefixes(country),
    },
    warnings,
  };
}

/**
 * The inherited settings (with provenance) → the renderer's vendor-neutral settings.
 *
 * One deliberate difference: a SIP port that only comes from the platform layer is not passed on.
 * The platform's 5060 is the standard port of the platform's default transport (UDP); a tenant
 * that picks TLS without a port means 5061, and a DNS NAPTR line must have no port at all (an
 * explicit one would bypass the SRV lookup). The renderer applies the transport's standard port.
 */
export function renderSettingsOf(effective: InheritedSettings, country: string | null | undefined): MappedSettings {
  const values = effective.settings;
  const settings: RenderSettings = {};
  const warnings: string[] = [];
  if (values.timeZone) settings.timeZone = values.timeZone.value;
  if (values.ntpServer) settings.ntpServer = values.ntpServer.value;
  if (values.language) settings.language = values.language.value;
  if (values.sipServer) settings.sipServer = values.sipServer.value;
  if (values.sipPort && values.sipPort.source !== 'platform') settings.sipPort = values.sipPort.value;
  if (values.sipTransport) settings.sipTransport = values.sipTransport.value as SipTransport;
  if (values.provisioningUrl) settings.provisioningUrl = values.provisioningUrl.value;
  if (values.firmwareUrl) settings.firmwareUrl = values.firmwareUrl.value;
  if (values.adminPassword) settings.adminPassword = values.adminPassword.value;
  if (values.phonebookRefreshSeconds) settings.phonebookRefreshSeconds = values.phonebookRefreshSeconds.value;
  if (values.classOfService) {
    const { plan, warnings: planWarnings } = dialPlanOf(values.classOfService.value, country);
    settings.dialPlan = plan;
    warnings.push(...planWarnings);
  }
  const rawKeys: Record<string, string> = {};
  for (const [key, entry] of Object.entries(effective.rawKeys)) rawKeys[key] = entry.value;
  return { settings, rawKeys, warnings };
}
