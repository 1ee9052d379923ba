import type { LineSlots } from './lines.js';
import type { ModelInfo } from './models.js';
import type { OutputFlavour } from './template-engine.js';
import { zoneFacts, type ZoneFacts } from './time-zones.js';
import {
  RenderError,
  type DeviceRenderInput,
  type DialPlanInput,
  type EffectiveSettings,
  type SipTransport,
  type VendorFamily,
} from './render.types.js';
import { displayText, exactText, hostName, httpUrl, positiveSeconds, type CheckedUrl } from './values.js';

const SIP_TRANSPORTS: readonly SipTransport[] = ['udp', 'tcp', 'tls', 'dns-naptr'];

/** Settings after validation: every value here is safe to hand to a template. */
export interface CheckedSettings {
  timeZone?: ZoneFacts;
  ntpServer?: string;
  language?: string;
  provisioningUrl?: CheckedUrl;
  firmwareUrl?: CheckedUrl;
  adminPassword?: string;
  phonebookRefreshSeconds?: number;
  dialPlan?: DialPlanInput;
  phonebooks: Array<{ name: string; url: CheckedUrl }>;
}

export interface BuildContext {
  input: DeviceRenderInput;
  vendor: VendorFamily;
  model: ModelInfo;
  lines: LineSlots;
  settings: CheckedSettings;
  /** Collected warnings; builders push to it. */
  warnings: string[];
}

/** What a vendor builder hands to the engine for one file. */
export interface ViewFile {
  name: string;
  template: string;
  flavour: OutputFlavour;
  view: object;
  carriesSecrets: boolean;
}

export function checkSettings(
  vendor: VendorFamily,
  settings: EffectiveSettings,
  phonebooks: DeviceRenderInput['phonebooks'] = [],
): CheckedSettings {
  const checked: CheckedSettings = { phonebooks: [] };
  if (settings.sipTransport !== undefined && !SIP_TRANSPORTS.includes(settings.sipTransport)) {
    throw new RenderError('default SIP transport must be udp, tcp, tls or dns-naptr', vendor);
  }
  if (settings.timeZone !== undefined && settings.timeZone !== '') checked.timeZone = zoneFacts(settings.timeZone);
  if (settings.ntpServer) checked.ntpServer = hostName('NTP server', settings.ntpServer, vendor);
  if (settings.language) checked.language = settings.language;
  if (settings.provisioningUrl) checked.provisioningUrl = httpUrl('provisioning URL', settings.provisioningUrl, vendor);
  if (settings.firmwareUrl) checked.firmwareUrl = httpUrl('firmware URL', settings.firmwareUrl, vendor);
  if (settings.adminPassword !== undefined && settings.adminPassword !== '') {
    checked.adminPassword = exactText('admin password', settings.adminPassword, vendor);
  }
  if (settings.phonebookRefreshSeconds !== undefined) {
    checked.phonebookRefreshSeconds = positiveSeconds(
      'phonebook refresh interval',
      settings.phonebookRefreshSeconds,
      vendor,
    );
  }
  if (settings.dialPlan) checked.dialPlan = settings.dialPlan;
  checked.phonebooks = phonebooks.map((book, i) => ({
    name: displayText(book.name),
    url: httpUrl(`phonebook ${i + 1} URL`, book.url, vendor),
  }));
  return checked;
}

/** Whether a file holding these lines / this admin password carries credentials. */
export function holdsSecrets(ctx: BuildContext): boolean {
  return ctx.settings.adminPassword !== undefined || ctx.lines.active.some((l) => l.password !== '');
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Keeps only the first `max` phonebooks and warns about the rest. */
export function limitPhonebooks(ctx: BuildContext, max: number): CheckedSettings['phonebooks'] {
  if (ctx.settings.phonebooks.length > max) {
    ctx.warnings.push(
      `${ctx.vendor} phones take ${max} remote phonebook URL(s); ${ctx.settings.phonebooks.length - max} not provisioned`,
    );
  }
  return ctx.settings.phonebooks.slice(0, max);
}
