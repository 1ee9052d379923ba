import { allowedRegions, isRestricted, regionPattern, vendorPattern } from '../../render/device/dial-plans.js';
import { POLY_FILES } from './poly.files.js';
import { polyLanguage, polyTimeSettings } from './poly.locale.js';
import { unsupportedLanguageWarning } from '../../render/device/languages.js';
import type { ModelInfo } from '../../render/device/models.js';
import type { SipTransport } from '../../render/device/render.types.js';
import { SettingsList, type Setting } from '../../render/device/settings-list.js';
import {
  holdsSecrets,
  type BuildContext,
  type CheckedSettings,
  type ViewFile,
} from '../../render/device/view-context.js';

/*
 * Poly UC Software: a master file `<mac>.cfg` (<APPLICATION APP_FILE_PATH CONFIG_FILES>) that
 * names the per-device `<mac>-phone.cfg` holding <polycomConfig> parameters as attributes.
 * Parameters absent from every config file fall back to defaults, so only assigned lines are
 * written. `device.*` parameters apply only with `device.set="1"` and their own `.set="1"`.
 */

/** Raw key grammar: Poly attribute names, dotted parameter names. */
const RAW_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,199}$/;

const MASTER = 'poly/master.cfg.liquid';
const PHONE = 'poly/phone.cfg.liquid';
const TRANSPORT: Record<SipTransport, string> = { udp: 'UDPOnly', tcp: 'TCPOnly', tls: 'TLS', 'dns-naptr': 'DNSnaptr' };

function addDevice(list: SettingsList, key: string, value: string): void {
  list.add(`${key}.set`, '1').add(key, value);
}

function addLines(list: SettingsList, ctx: BuildContext): void {
  for (const line of ctx.lines.active) {
    const p = `reg.${line.index}`;
    list.add(`${p}.address`, line.username);
    list.add(`${p}.label`, line.label);
    list.add(`${p}.displayName`, line.displayName);
    list.add(`${p}.auth.userId`, line.authName);
    list.add(`${p}.auth.password`, line.password);
    list.add(`${p}.server.1.address`, line.server);
    if (line.port !== undefined) list.add(`${p}.server.1.port`, line.port);
    list.add(`${p}.server.1.transport`, TRANSPORT[line.transport]);
  }
}

function addDialPlan(list: SettingsList, ctx: BuildContext): void {
  const plan = ctx.settings.dialPlan;
  if (!plan) return;
  const custom = vendorPattern(plan, 'poly');
  const derived = allowedRegions(plan)
    .map((r) => (regionPattern(r) === '' ? 'xx.T' : `${regionPattern(r)}x.T`))
    .concat('*x.T');
  list.add('dialplan.digitmap', custom ?? derived.join('|'));
  // 1 = play reorder tone on an impossible match instead of sending the digits (0, default).
  list.add('dialplan.impossibleMatchHandling', custom !== undefined || isRestricted(plan) ? '1' : '0');
}

/**
 * UC Software has no phonebook URL: the phone reads its contact directory from
 * `<mac>-directory.xml` next to its config files (CONTACTS_DIRECTORY="" in the master file). The
 * phone server answers that name with the Poly variant of the first phonebook (docs/phone-server.md),
 * so nothing is written here; further books cannot be shown and are reported.
 */
function addPhonebookPolling(list: SettingsList, ctx: BuildContext): void {
  const others = ctx.settings.phonebooks.length - 1;
  if (others > 0) {
    ctx.warnings.push(
      `poly phones show one directory (<mac>-directory.xml: the first phonebook); ${others} other phonebook(s) not provisioned`,
    );
  }
  const refresh = ctx.settings.phonebookRefreshSeconds;
  if (refresh === undefined) return;
  // Relative polling re-reads config and directory files every period (> 3600 s).
  const period = Math.max(refresh, 3601);
  if (period !== refresh) ctx.warnings.push(`poly polling period ${refresh}s raised to ${period}s (must exceed 3600)`);
  list.add('prov.polling.enabled', '1').add('prov.polling.mode', 'rel').add('prov.polling.period', period);
}

/** Groups `a.b.c` attributes under an element named `a`, in first-seen order. */
function groupByPrefix(settings: Setting[]): Array<{ element: string; attributes: Setting[] }> {
  const groups = new Map<string, Setting[]>();
  for (const setting of settings) {
    const element = setting.key.split('.')[0]!;
    const group = groups.get(element) ?? [];
    group.push(setting);
    groups.set(element, group);
  }
  return [...groups].map(([element, attributes]) => ({ element, attributes }));
}

function masterView(settings: CheckedSettings, configFiles: string) {
  return { appFilePath: settings.firmwareUrl?.href ?? '', configFiles };
}

export function polyDeviceViews(ctx: BuildContext): ViewFile[] {
  const { settings } = ctx;
  const list = new SettingsList();
  list.add('device.set', '1');
  if (settings.provisioningUrl) {
    addDevice(list, 'device.prov.serverType', settings.provisioningUrl.scheme === 'https' ? 'HTTPS' : 'HTTP');
    addDevice(list, 'device.prov.serverName', settings.provisioningUrl.withoutScheme);
  }
  if (settings.adminPassword !== undefined) addDevice(list, 'device.auth.localAdminPassword', settings.adminPassword);
  addLines(list, ctx);
  if (settings.ntpServer)
    list.add('tcpIpApp.sntp.address', settings.ntpServer).add('tcpIpApp.sntp.address.overrideDHCP', '1');
  if (settings.timeZone) for (const s of polyTimeSettings(settings.timeZone)) list.add(s.key, s.value);
  if (settings.language) {
    const lang = polyLanguage(settings.language);
    if (lang) list.add('lcl.ml.lang', lang);
    else ctx.warnings.push(unsupportedLanguageWarning('poly', settings.language));
  }
  addPhonebookPolling(list, ctx);
  addDialPlan(list, ctx);
  // A check-sync NOTIFY re-reads the configuration; reboot only when the firmware changed.
  list.add('voIpProt.SIP.specialEvent.checkSync.alwaysReboot', '0');
  list.applyRawKeys(ctx.input.rawKeys, RAW_KEY, 'poly');

  const [masterName, phoneName] = POLY_FILES.device(ctx.input.mac, ctx.input.model);
  return [
    {
      name: masterName!,
      template: MASTER,
      flavour: 'xml',
      view: masterView(settings, phoneName!),
      carriesSecrets: false,
    },
    {
      name: phoneName!,
      template: PHONE,
      flavour: 'xml',
      view: { groups: groupByPrefix(list.toArray()) },
      carriesSecrets: holdsSecrets(ctx),
    },
  ];
}

/** `000000000000.cfg`: master for devices without their own file; lists nothing secret. */
export function polyCommonViews(model: ModelInfo, settings: CheckedSettings): ViewFile[] {
  return POLY_FILES.common(model.id).map((name) => ({
    name,
    template: MASTER,
    flavour: 'xml' as const,
    view: masterView(settings, ''),
    carriesSecrets: false,
  }));
}
