import { isRestricted, unsupportedDialPlanWarning } from '../../render/device/dial-plans.js';
import { SNOM_FILES } from './snom.files.js';
import { snomLanguage, snomTimeSettings } from './snom.locale.js';
import { unsupportedLanguageWarning } from '../../render/device/languages.js';
import type { ResolvedLine } from '../../render/device/lines.js';
import type { ModelInfo } from '../../render/device/models.js';
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
 * Snom D7xx/D3xx. The common `snom<model>.htm` is a setting-files list whose `{mac}` placeholder
 * the phone replaces with its uppercase MAC, leading it to `snom<model>-<MAC>.htm`, an XML
 * <settings><phone-settings> document with one element per setting (`idx` for the identity).
 * Settings not mentioned keep their value, so every identity slot is written.
 * check-sync NOTIFY with `reboot=false` re-reads the settings natively; no switch is needed.
 */

/** Raw key grammar: Snom setting names, optionally `.N` for an identity/key index. */
const RAW_KEY = /^[a-z][a-z0-9_]{0,99}(\.[0-9]{1,3})?$/;

const SETTINGS = 'snom/settings.xml.liquid';
const FILE_LIST = 'snom/setting-files.xml.liquid';

/** Outbound proxy with explicit transport; NAPTR lines name only the host so the phone resolves it. */
function outbound(line: ResolvedLine): string {
  if (line.transport === 'dns-naptr') return line.server;
  return `${line.server}:${line.port}${line.transport === 'udp' ? '' : `;transport=${line.transport}`}`;
}

function addIdentities(list: SettingsList, ctx: BuildContext): void {
  ctx.lines.slots.forEach((line, i) => {
    const idx = i + 1;
    list.add(`user_active.${idx}`, line ? 'on' : 'off');
    list.add(`user_idle_text.${idx}`, line?.label ?? '');
    list.add(`user_realname.${idx}`, line?.displayName ?? '');
    list.add(`user_name.${idx}`, line?.username ?? '');
    list.add(`user_pname.${idx}`, line?.authName ?? '');
    list.add(`user_pass.${idx}`, line?.password ?? '');
    list.add(`user_host.${idx}`, line?.server ?? '');
    list.add(`user_outbound.${idx}`, line ? outbound(line) : '');
  });
}

function settingFilesUrl(settings: CheckedSettings, model: ModelInfo): string | undefined {
  const [name] = SNOM_FILES.common(model.id);
  return settings.provisioningUrl && name ? joinUrl(settings.provisioningUrl.href, name) : undefined;
}

/** Splits `user_name.2` style keys (identity settings, `idx` attribute) from plain settings. */
function toElements(list: SettingsList) {
  const identities: Array<{ name: string; idx: string; value: string }> = [];
  const settings: Array<{ name: string; value: string }> = [];
  for (const { key, value } of list.toArray()) {
    const [name, idx] = key.split('.');
    if (idx === undefined) settings.push({ name: name!, value });
    else identities.push({ name: name!, idx, value });
  }
  return { identities, settings };
}

export function snomDeviceViews(ctx: BuildContext): ViewFile[] {
  const { settings } = ctx;
  const list = new SettingsList();
  addIdentities(list, ctx);
  if (settings.ntpServer) list.add('ntp_server', settings.ntpServer);
  if (settings.timeZone) for (const s of snomTimeSettings(settings.timeZone)) list.add(s.key, s.value);
  if (settings.language) {
    const lang = snomLanguage(settings.language);
    if (lang) list.add('language', lang).add('web_language', lang);
    else ctx.warnings.push(unsupportedLanguageWarning('snom', settings.language));
  }
  if (settings.adminPassword !== undefined) {
    list
      .add('admin_mode_password', settings.adminPassword)
      .add('http_user', 'admin')
      .add('http_pass', settings.adminPassword);
  }
  const [book] = limitPhonebooks(ctx, 1);
  // `url <URL>` opens the URL in the minibrowser, which needs a minibrowser document (the
  // `snom-directory` SnomIPPhoneDirectory variant; a `tbook` settings file would not display).
  // It is fetched on use, not on a timer. Without a phonebook the key goes back to the firmware
  // default (local directory search).
  list.add('dkey_directory', book ? `url ${book.url.href}` : 'keyevent F_DIRECTORY_SEARCH');
  const settingServer = settingFilesUrl(settings, ctx.model);
  if (settingServer) list.add('setting_server', settingServer);
  if (settings.firmwareUrl) {
    // Snom learns its image from a firmware-status document (<firmware-settings><firmware>);
    // the profile's per-model firmware URL must point at that document.
    list.add('firmware_status', settings.firmwareUrl.href).add('update_policy', 'auto_update');
  }
  if (settings.dialPlan && isRestricted(settings.dialPlan))
    ctx.warnings.push(unsupportedDialPlanWarning(settings.dialPlan, 'snom'));
  list.applyRawKeys(ctx.input.rawKeys, RAW_KEY, 'snom');

  const [name] = SNOM_FILES.device(ctx.input.mac, ctx.input.model);
  return [
    { name: name!, template: SETTINGS, flavour: 'xml', view: toElements(list), carriesSecrets: holdsSecrets(ctx) },
  ];
}

/** `snom<model>.htm`: the list that sends each phone on to its own `snom<model>-{mac}.htm`. */
export function snomCommonViews(model: ModelInfo, settings: CheckedSettings): ViewFile[] {
  const [name] = SNOM_FILES.common(model.id);
  if (!name || !settings.provisioningUrl) return [];
  const deviceFile = `snom${model.id}-{mac}.htm`;
  return [
    {
      name,
      template: FILE_LIST,
      flavour: 'xml',
      view: { files: [joinUrl(settings.provisioningUrl.href, deviceFile)] },
      carriesSecrets: false,
    },
  ];
}
