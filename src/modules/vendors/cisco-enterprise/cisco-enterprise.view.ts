import { isRestricted, unsupportedDialPlanWarning } from '../../render/device/dial-plans.js';
import { CISCO_ENTERPRISE_FILES } from './cisco-enterprise.files.js';
import { ciscoEnterpriseLanguage, ciscoEnterpriseZoneName } from './cisco-enterprise.locale.js';
import { unsupportedLanguageWarning } from '../../render/device/languages.js';
import type { SipTransport } from '../../render/device/render.types.js';
import { SettingsList } from '../../render/device/settings-list.js';
import { holdsSecrets, limitPhonebooks, type BuildContext, type ViewFile } from '../../render/device/view-context.js';

/*
 * Cisco enterprise SIP firmware (79xx/89xx/99xx): `SEP<MAC>.cnf.xml`, a <device> document with
 * <devicePool> (time, call manager), <sipProfile><sipLines><line button="N"> and top-level
 * settings. The phone reads the whole file each time (absent lines are gone), so only assigned
 * lines are written. Files come from TFTP/HTTP named by DHCP, so no provisioning URL is set, and
 * the "service-control" NOTIFY (action=restart) needs no switch. Dial rules live in a separate
 * dialTemplate file on the TFTP server and are not rendered here.
 */

/** Raw key grammar: Cisco enterprise top-level element names. */
const RAW_KEY = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;

const TEMPLATE = 'cisco-enterprise/device.cnf.xml.liquid';
// <transportLayerProtocol>: 1 TCP, 2 UDP, 3 TLS, 4 TCP+UDP (phone picks; used for NAPTR).
const TRANSPORT: Record<SipTransport, string> = { tcp: '1', udp: '2', tls: '3', 'dns-naptr': '4' };

/** "https://host/loads/SIP45.9-4-2SR3-1S.loads" → "SIP45.9-4-2SR3-1S": phones fetch loads by name. */
function loadName(url: string): string {
  const file = url.split(/[?#]/)[0]!.split('/').pop() ?? '';
  return file.replace(/\.(loads|zup|sbn|bin)$/i, '');
}

export function ciscoEnterpriseDeviceViews(ctx: BuildContext): ViewFile[] {
  const { settings, lines } = ctx;
  const first = lines.active[0];
  const transport = first?.transport ?? ctx.input.settings.sipTransport ?? 'udp';
  if (lines.active.some((l) => l.transport !== transport)) {
    ctx.warnings.push(`cisco-enterprise uses one transport per phone; all lines use ${transport}`);
  }
  if (transport === 'tls') ctx.warnings.push('cisco-enterprise TLS needs CTL/ITL trust files on the TFTP server');

  let timeZone = '';
  if (settings.timeZone) {
    timeZone = ciscoEnterpriseZoneName(settings.timeZone.zone) ?? '';
    if (!timeZone)
      ctx.warnings.push(
        `cisco-enterprise has no zone name for "${settings.timeZone.zone}"; the phone keeps its default`,
      );
  }
  let locale = { name: '', langCode: '' };
  if (settings.language) {
    locale = ciscoEnterpriseLanguage(settings.language) ?? locale;
    if (!locale.name) ctx.warnings.push(unsupportedLanguageWarning('cisco-enterprise', settings.language));
  }
  if (settings.dialPlan && isRestricted(settings.dialPlan))
    ctx.warnings.push(unsupportedDialPlanWarning(settings.dialPlan, 'cisco-enterprise'));

  const server = first?.server ?? '';
  const sipPort = String(lines.active.find((l) => l.transport !== 'tls')?.port ?? 5060);
  const securedSipPort = String(lines.active.find((l) => l.transport === 'tls')?.port ?? 5061);

  // Top-level simple elements; profile raw keys of the same name replace them, others are added.
  const topLevel = new SettingsList();
  topLevel.add('loadInformation', settings.firmwareUrl ? loadName(settings.firmwareUrl.href) : '');
  topLevel.add('directoryURL', limitPhonebooks(ctx, 1)[0]?.url.href ?? '');
  topLevel.add('transportLayerProtocol', TRANSPORT[transport]);
  // 1 = non-secure, 3 = encrypted (TLS signalling).
  topLevel.add('deviceSecurityMode', transport === 'tls' ? '3' : '1');
  topLevel.applyRawKeys(ctx.input.rawKeys, RAW_KEY, 'cisco-enterprise');

  const view = {
    timeZone,
    ntpServer: settings.ntpServer ?? '',
    callManager: { server, sipPort, securedSipPort },
    lines: lines.active.map((l) => ({
      button: String(l.index),
      label: l.label,
      proxy: l.server,
      port: String(l.port ?? (l.transport === 'tls' ? 5061 : 5060)),
      name: l.username,
      displayName: l.displayName,
      authName: l.authName,
      authPassword: l.password,
    })),
    adminPassword: settings.adminPassword ?? '',
    locale,
    topLevel: topLevel.toArray(),
  };
  const [name] = CISCO_ENTERPRISE_FILES.device(ctx.input.mac, ctx.input.model);
  return [{ name: name!, template: TEMPLATE, flavour: 'xml', view, carriesSecrets: holdsSecrets(ctx) }];
}
