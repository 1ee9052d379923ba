import { addCiscoMppContactsEntry } from '../../phone-app/app-keys.js';
import { barredRegions, isRestricted, regionPattern, vendorPattern } from '../../render/device/dial-plans.js';
import { CISCO_MPP_FILES } from './cisco-mpp.files.js';
import { ciscoMppLanguage, ciscoMppTimeSettings } from './cisco-mpp.locale.js';
import { hostPort } from '../../render/device/lines.js';
import { unsupportedLanguageWarning } from '../../render/device/languages.js';
import type { ModelInfo } from '../../render/device/models.js';
import type { SipTransport } from '../../render/device/render.types.js';
import { SettingsList } from '../../render/device/settings-list.js';
import { joinUrl } from '../../render/device/values.js';
import {
  holdsSecrets,
  limitPhonebooks,
  type BuildContext,
  type CheckedSettings,
  type ViewFile,
} from '../../render/device/view-context.js';

/*
 * Cisco MPP / 3PCC flat profile: <flat-profile><Param_Name_N_ ua="na">value</…>. The phone keeps
 * parameters a profile does not mention, so every extension slot of the model is written and
 * unassigned ones are disabled and emptied. `ua="na"` hides the value from the phone's user UI.
 */

/** Raw key grammar: Cisco MPP element names such as `Dial_Plan_1_` or `G722.2_Enable_1_`. */
const RAW_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,199}$/;

const TEMPLATE = 'cisco-mpp/flat-profile.xml.liquid';
const TRANSPORT: Record<SipTransport, string> = { udp: 'UDP', tcp: 'TCP', tls: 'TLS', 'dns-naptr': 'AUTO' };

function dialPlan(ctx: BuildContext): string | undefined {
  const plan = ctx.settings.dialPlan;
  if (!plan) return undefined;
  const custom = vendorPattern(plan, 'cisco-mpp');
  if (custom !== undefined) return custom;
  // A pattern ending in "!" is barred; "x." is any number of further digits.
  const barred = isRestricted(plan) ? barredRegions(plan).map((r) => `${regionPattern(r)}x.!`) : [];
  return `(${[...barred, '*xx.', 'xx.'].join('|')})`;
}

function addLines(list: SettingsList, ctx: BuildContext): void {
  const plan = dialPlan(ctx);
  ctx.lines.slots.forEach((line, i) => {
    const n = `${i + 1}_`;
    list.add(`Line_Enable_${n}`, line ? 'Yes' : 'No');
    list.add(`Short_Name_${n}`, line?.label ?? '');
    list.add(`Display_Name_${n}`, line?.displayName ?? '');
    list.add(`User_ID_${n}`, line?.username ?? '');
    list.add(`Use_Auth_ID_${n}`, line ? 'Yes' : 'No');
    list.add(`Auth_ID_${n}`, line?.authName ?? '');
    list.add(`Password_${n}`, line?.password ?? '');
    // Proxy takes host[:port]; with AUTO transport the phone resolves NAPTR/SRV itself.
    list.add(`Proxy_${n}`, line ? hostPort(line) : '');
    list.add(`SIP_Transport_${n}`, line ? TRANSPORT[line.transport] : 'UDP');
    if (plan !== undefined) list.add(`Dial_Plan_${n}`, plan);
  });
}

function addProvisioning(list: SettingsList, settings: CheckedSettings): void {
  if (settings.provisioningUrl) {
    // $MA expands to the phone's lowercase MAC: the per-device <mac>.xml.
    list.add('Profile_Rule', joinUrl(settings.provisioningUrl.href, '$MA.xml'));
    list.add('Resync_On_Reset', 'Yes');
  }
  if (settings.firmwareUrl) list.add('Upgrade_Rule', settings.firmwareUrl.href);
  // Accept the "resync" NOTIFY event and re-read the profile without a reboot.
  list.add('Resync_From_SIP', 'Yes');
}

export function ciscoMppDeviceViews(ctx: BuildContext): ViewFile[] {
  const { settings } = ctx;
  const list = new SettingsList();
  addLines(list, ctx);
  if (settings.ntpServer) list.add('Primary_NTP_Server', settings.ntpServer);
  if (settings.timeZone) for (const s of ciscoMppTimeSettings(settings.timeZone)) list.add(s.key, s.value);
  if (settings.language) {
    const lang = ciscoMppLanguage(settings.language);
    if (lang) list.add('Language_Selection', lang.selection).add('Locale', lang.locale);
    else ctx.warnings.push(unsupportedLanguageWarning('cisco-mpp', settings.language));
  }
  if (settings.adminPassword !== undefined) list.add('Admin_Password', settings.adminPassword);
  const [book] = limitPhonebooks(ctx, 1);
  // The phone fetches the XML directory on demand, so there is no refresh interval to set.
  list.add('XML_Directory_Service_Name', book?.name ?? '');
  list.add('XML_Directory_Service_URL', book?.url.href ?? '');
  addCiscoMppContactsEntry(list, ctx.input.contactsAppUrl);
  addProvisioning(list, settings);
  list.applyRawKeys(ctx.input.rawKeys, RAW_KEY, 'cisco-mpp');

  const [name] = CISCO_MPP_FILES.device(ctx.input.mac, ctx.input.model);
  return [
    {
      name: name!,
      template: TEMPLATE,
      flavour: 'xml',
      view: { settings: list.toArray() },
      carriesSecrets: holdsSecrets(ctx),
    },
  ];
}

/** `<model>-3PCC.xml`: points an unconfigured phone at its own `<mac>.xml`. */
export function ciscoMppCommonViews(model: ModelInfo, settings: CheckedSettings): ViewFile[] {
  const list = new SettingsList();
  addProvisioning(list, settings);
  return CISCO_MPP_FILES.common(model.id).map((name) => ({
    name,
    template: TEMPLATE,
    flavour: 'xml' as const,
    view: { settings: list.toArray() },
    carriesSecrets: false,
  }));
}
