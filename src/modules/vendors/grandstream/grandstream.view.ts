import { barredRegions, isRestricted, regionPattern, vendorPattern } from '../../render/device/dial-plans.js';
import { GRANDSTREAM_FILES } from './grandstream.files.js';
import { grandstreamLanguage, grandstreamPosixZone } from './grandstream.locale.js';
import { unsupportedLanguageWarning } from '../../render/device/languages.js';
import { hostPort } from '../../render/device/lines.js';
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
 * Grandstream GXP/GRP: <gs_provision><config><P47>…</P47> numbered P-values. P-values the file
 * leaves out keep their old value, so every account slot of the model is written.
 * Account numbering follows the GXP21xx config template (firmware 1.0.11): account 1 has its own
 * numbers; accounts 2-4 start at P401/P501/P601, accounts 5-6 at P1701/P1801, same offsets.
 */

/** Raw key grammar: Grandstream numbered P-values. */
const RAW_KEY = /^P[0-9]{1,6}$/;

const TEMPLATE = 'grandstream/gs-provision.xml.liquid';
const TRANSPORT: Record<SipTransport, string> = { udp: '0', tcp: '1', tls: '2', 'dns-naptr': '0' };
/** Default dial plan of the firmware: any digits, '+' numbers and star codes. */
const OPEN_DIAL_PLAN = ['x+', '\\+x+', '*x+', '*xx*x+'];

interface AccountKeys {
  active: string;
  name: string;
  server: string;
  user: string;
  auth: string;
  password: string;
  display: string;
  dnsMode: string;
  transport: string;
  dialPlan: string;
}

function accountKeys(n: number): AccountKeys {
  if (n === 1) {
    return {
      active: 'P271',
      name: 'P270',
      server: 'P47',
      user: 'P35',
      auth: 'P36',
      password: 'P34',
      display: 'P3',
      dnsMode: 'P103',
      transport: 'P130',
      dialPlan: 'P290',
    };
  }
  const bases: Record<number, number> = { 2: 400, 3: 500, 4: 600, 5: 1700, 6: 1800 };
  const base = bases[n];
  if (base === undefined) throw new RenderError(`account ${n} has no known P-value numbers`, 'grandstream');
  const p = (offset: number): string => `P${base + offset}`;
  return {
    active: p(1),
    name: p(17),
    server: p(2),
    user: p(4),
    auth: p(5),
    password: p(6),
    display: p(7),
    dnsMode: p(8),
    transport: p(48),
    dialPlan: p(59),
  };
}

function dialPlan(ctx: BuildContext): string | undefined {
  const plan = ctx.settings.dialPlan;
  if (!plan) return undefined;
  const custom = vendorPattern(plan, 'grandstream');
  if (custom !== undefined) return custom;
  // "^" marks a blocked pattern in Grandstream dial plans; "x+" is one or more digits.
  const blocked = isRestricted(plan) ? barredRegions(plan).map((r) => `^${regionPattern(r)}x+`) : [];
  return `{ ${[...blocked, ...OPEN_DIAL_PLAN].join(' | ')} }`;
}

function addAccounts(list: SettingsList, ctx: BuildContext): void {
  const plan = dialPlan(ctx);
  ctx.lines.slots.forEach((line, i) => {
    const k = accountKeys(i + 1);
    list.add(k.active, line ? '1' : '0');
    list.add(k.name, line?.label ?? '');
    list.add(k.server, line ? hostPort(line) : '');
    list.add(k.user, line?.username ?? '');
    list.add(k.auth, line?.authName ?? '');
    list.add(k.password, line?.password ?? '');
    list.add(k.display, line?.displayName ?? '');
    // DNS mode 2 = NAPTR/SRV, 0 = A record.
    list.add(k.dnsMode, line?.transport === 'dns-naptr' ? '2' : '0');
    list.add(k.transport, line ? TRANSPORT[line.transport] : '0');
    if (plan !== undefined) list.add(k.dialPlan, plan);
  });
}

/** Default P332 when a book is provisioned without a refresh setting: hourly, like the platform default. */
const DEFAULT_PHONEBOOK_MINUTES = 60;

/**
 * P331 is a folder, host[:port]/path without scheme: the phone always requests
 * `<P331>/phonebook.xml`, which the phone server answers with the book's grandstream variant.
 */
export function grandstreamPhonebookFolder(withoutScheme: string): string {
  return withoutScheme.replace(/[?#].*$/, '').replace(/\/[^/]*$/, '');
}

function addPhonebook(list: SettingsList, ctx: BuildContext): void {
  const [book] = limitPhonebooks(ctx, 1);
  // P330: 0 off, 1 HTTP, 3 HTTPS (2 would be TFTP).
  list.add('P330', book ? (book.url.scheme === 'https' ? '3' : '1') : '0');
  list.add('P331', book ? grandstreamPhonebookFolder(book.url.withoutScheme) : '');
  const refresh = ctx.settings.phonebookRefreshSeconds;
  if (refresh !== undefined) {
    // P332: download interval in minutes, 5..720 (0 = never).
    const minutes = clamp(Math.round(refresh / 60), 5, 720);
    if (minutes * 60 !== refresh)
      ctx.warnings.push(`grandstream phonebook refresh ${refresh}s adjusted to ${minutes} min (allowed 5..720 min)`);
    list.add('P332', minutes);
  } else if (book) {
    // A P332 of 0 left from earlier would keep the phone from ever downloading the book again.
    list.add('P332', DEFAULT_PHONEBOOK_MINUTES);
  }
}

function addProvisioning(list: SettingsList, settings: CheckedSettings): void {
  const url = settings.provisioningUrl;
  if (url) {
    // P212: 1 HTTP, 2 HTTPS; P237: config server path without scheme.
    list.add('P212', url.scheme === 'https' ? '2' : '1');
    list.add('P237', url.withoutScheme);
  }
  // P192: firmware server path (the folder holding the model's image), without scheme.
  if (settings.firmwareUrl) list.add('P192', settings.firmwareUrl.withoutScheme.replace(/\/[^/]*\.bin$/i, ''));
}

export function grandstreamDeviceViews(ctx: BuildContext): ViewFile[] {
  const { settings } = ctx;
  const list = new SettingsList();
  addAccounts(list, ctx);
  if (settings.adminPassword !== undefined) list.add('P2', settings.adminPassword);
  if (settings.ntpServer) list.add('P30', settings.ntpServer);
  if (settings.timeZone) list.add('P64', grandstreamPosixZone(settings.timeZone));
  if (settings.language) {
    const lang = grandstreamLanguage(settings.language);
    if (lang) list.add('P1362', lang);
    else ctx.warnings.push(unsupportedLanguageWarning('grandstream', settings.language));
  }
  addPhonebook(list, ctx);
  // check-sync NOTIFY is honoured by default; there is no switch to set.
  addProvisioning(list, settings);
  list.applyRawKeys(ctx.input.rawKeys, RAW_KEY, 'grandstream');

  const [name] = GRANDSTREAM_FILES.device(ctx.input.mac, ctx.input.model);
  // <mac> makes the phone refuse a file meant for another device.
  const view = { mac: ctx.input.mac, settings: list.toArray() };
  return [{ name: name!, template: TEMPLATE, flavour: 'xml', view, carriesSecrets: holdsSecrets(ctx) }];
}

export function grandstreamCommonViews(model: ModelInfo, settings: CheckedSettings): ViewFile[] {
  const list = new SettingsList();
  addProvisioning(list, settings);
  return GRANDSTREAM_FILES.common(model.id).map((name) => ({
    name,
    template: TEMPLATE,
    flavour: 'xml' as const,
    view: { mac: '', settings: list.toArray() },
    carriesSecrets: false,
  }));
}
