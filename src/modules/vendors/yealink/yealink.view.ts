import { addYealinkContactsKey } from '../../phone-app/app-keys.js';
import { barredRegions, isRestricted, regionPattern, vendorPattern } from '../../render/device/dial-plans.js';
import { YEALINK_FILES } from './yealink.files.js';
import { yealinkLanguage, yealinkTimeSettings } from './yealink.locale.js';
import { unsupportedLanguageWarning } from '../../render/device/languages.js';
import type { ModelInfo } from '../../render/device/models.js';
import { RenderError, type SipTransport } from '../../render/device/render.types.js';
import { SettingsList } from '../../render/device/settings-list.js';
import {
  clamp,
  holdsSecrets,
  limitPhonebooks,
  type BuildContext,
  type CheckedSettings,
  type ViewFile,
} from '../../render/device/view-context.js';

/*
 * Yealink T4x/T5x/W-series text profile: first line exactly `#!version:1.0.0.1`, then one
 * `key = value` per line, `%NULL%` for an empty value. Every account slot of the model is written,
 * unassigned slots cleared, because Yealink keeps any value a file does not mention.
 */

/** Raw key grammar: Yealink `a.b.c` keys (letters, digits, `_`, `-`, dots). */
const RAW_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,199}$/;

const TEMPLATE = 'yealink/profile.cfg.liquid';
const TRANSPORT: Record<SipTransport, string> = { udp: '0', tcp: '1', tls: '2', 'dns-naptr': '3' };
const REMOTE_PHONEBOOK_SLOTS = 5;
const BLOCK_OUT_SLOTS = 10;

/** Yealink reads an empty right-hand side as "keep"; `%NULL%` is its explicit empty value. */
const v = (value: string | number): string => (value === '' ? '%NULL%' : String(value));

function addLines(list: SettingsList, ctx: BuildContext): void {
  ctx.lines.slots.forEach((line, i) => {
    const p = `account.${i + 1}`;
    list.add(`${p}.enable`, line ? '1' : '0');
    list.add(`${p}.label`, v(line?.label ?? ''));
    list.add(`${p}.display_name`, v(line?.displayName ?? ''));
    list.add(`${p}.auth_name`, v(line?.authName ?? ''));
    list.add(`${p}.user_name`, v(line?.username ?? ''));
    list.add(`${p}.password`, v(line?.password ?? ''));
    list.add(`${p}.sip_server.1.address`, v(line?.server ?? ''));
    // Port 0 with DNS-NAPTR lets the phone take port and transport from NAPTR/SRV records.
    list.add(`${p}.sip_server.1.port`, line ? String(line.port ?? 0) : '%NULL%');
    list.add(`${p}.sip_server.1.transport_type`, line ? TRANSPORT[line.transport] : '%NULL%');
  });
}

/**
 * The phone replaces `#SEARCH` in a remote phonebook URL with what the user typed and asks the
 * server (the phone server answers `yealink.xml?q=` from the book's search index), so a book too
 * large to download is still searchable.
 */
export function yealinkSearchUrl(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}q=#SEARCH`;
}

/**
 * Slots 1..5 (`remote_phonebook.data.X.url|name`): first every visible book as a whole download
 * (browsable offline), then, in the slots left, each book's server-side search form in the same
 * order, so a device with the internal directory and one company book gets both of each.
 */
function remotePhonebookSlots(ctx: BuildContext): Array<{ url: string; name: string }> {
  const books = limitPhonebooks(ctx, REMOTE_PHONEBOOK_SLOTS);
  const searchable = books.slice(0, REMOTE_PHONEBOOK_SLOTS - books.length);
  if (searchable.length < books.length) {
    ctx.warnings.push(
      `yealink: no remote phonebook slot left for the search entry of ${books.length - searchable.length} phonebook(s)`,
    );
  }
  return [
    ...books.map((book) => ({ url: book.url.href, name: book.name })),
    ...searchable.map((book) => ({ url: yealinkSearchUrl(book.url.href), name: `${book.name} (search)` })),
  ];
}

function addPhonebooks(list: SettingsList, ctx: BuildContext): void {
  const slots = remotePhonebookSlots(ctx);
  for (let i = 1; i <= REMOTE_PHONEBOOK_SLOTS; i += 1) {
    const slot = slots[i - 1];
    list.add(`remote_phonebook.data.${i}.url`, v(slot?.url ?? ''));
    list.add(`remote_phonebook.data.${i}.name`, v(slot?.name ?? ''));
  }
  const refresh = ctx.settings.phonebookRefreshSeconds;
  if (refresh !== undefined) {
    // features.remote_phonebook.flash_time accepts 3600..2592000 seconds.
    const flash = clamp(refresh, 3600, 2_592_000);
    if (flash !== refresh)
      ctx.warnings.push(`yealink phonebook refresh ${refresh}s adjusted to ${flash}s (allowed 3600..2592000)`);
    list.add('features.remote_phonebook.flash_time', flash);
  }
}

function addDialPlan(list: SettingsList, ctx: BuildContext): void {
  const plan = ctx.settings.dialPlan;
  if (!plan) return;
  const custom = vendorPattern(plan, 'yealink');
  if (custom !== undefined) {
    list.add('dialplan.digitmap.enable', '1');
    list.add('dialplan.digitmap.string', v(custom));
    return;
  }
  // Block-out rules only apply while the digit map is off. "." matches any remaining digits.
  const barred = isRestricted(plan) ? barredRegions(plan).map((r) => `${regionPattern(r)}.`) : [];
  if (barred.length > BLOCK_OUT_SLOTS)
    throw new RenderError(
      `class of service "${plan.name}" needs more than ${BLOCK_OUT_SLOTS} block-out rules`,
      'yealink',
    );
  list.add('dialplan.digitmap.enable', '0');
  for (let i = 1; i <= BLOCK_OUT_SLOTS; i += 1) {
    list.add(`dialplan.block_out.number.${i}`, v(barred[i - 1] ?? ''));
    list.add(`dialplan.block_out.line_id.${i}`, barred[i - 1] ? '0' : '%NULL%');
  }
}

function addProvisioning(list: SettingsList, settings: CheckedSettings): void {
  if (settings.provisioningUrl) list.add('static.auto_provision.server.url', settings.provisioningUrl.href);
  if (settings.firmwareUrl) list.add('static.firmware.url', settings.firmwareUrl.href);
  // Accept check-sync NOTIFY and re-provision without rebooting (reboot only on ";reboot=true").
  list.add('sip.notify_reboot_enable', '0');
}

export function yealinkDeviceViews(ctx: BuildContext): ViewFile[] {
  const { settings } = ctx;
  const list = new SettingsList();
  addLines(list, ctx);
  if (settings.ntpServer) list.add('local_time.ntp_server1', settings.ntpServer);
  if (settings.timeZone) for (const s of yealinkTimeSettings(settings.timeZone)) list.add(s.key, s.value);
  if (settings.language) {
    const lang = yealinkLanguage(settings.language);
    if (lang) list.add('lang.gui', lang).add('lang.wui', lang);
    else ctx.warnings.push(unsupportedLanguageWarning('yealink', settings.language));
  }
  if (settings.adminPassword !== undefined)
    list.add('static.security.user_password', `admin:${settings.adminPassword}`);
  addPhonebooks(list, ctx);
  addYealinkContactsKey(list, ctx.input.contactsAppUrl);
  addDialPlan(list, ctx);
  addProvisioning(list, settings);
  list.applyRawKeys(ctx.input.rawKeys, RAW_KEY, 'yealink');

  const [name] = YEALINK_FILES.device(ctx.input.mac, ctx.input.model);
  return [
    {
      name: name!,
      template: TEMPLATE,
      flavour: 'text',
      view: { settings: list.toArray() },
      carriesSecrets: holdsSecrets(ctx),
    },
  ];
}

export function yealinkCommonViews(model: ModelInfo, settings: CheckedSettings): ViewFile[] {
  const [name] = YEALINK_FILES.common(model.id);
  if (!name) return [];
  const list = new SettingsList();
  addProvisioning(list, settings);
  return [{ name, template: TEMPLATE, flavour: 'text', view: { settings: list.toArray() }, carriesSecrets: false }];
}
