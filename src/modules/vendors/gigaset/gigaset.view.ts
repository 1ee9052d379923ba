import { isRestricted, unsupportedDialPlanWarning } from '../../render/device/dial-plans.js';
import { GIGASET_FILES } from './gigaset.files.js';
import { gigasetZone } from './gigaset.locale.js';
import type { ResolvedLine } from '../../render/device/lines.js';
import type { SipTransport } from '../../render/device/render.types.js';
import { SettingsList } from '../../render/device/settings-list.js';
import { holdsSecrets, limitPhonebooks, type BuildContext, type ViewFile } from '../../render/device/view-context.js';

/*
 * Gigaset N870 (Nx70 PRO) multicell system: <provisioning><nvm><param name value/>, keys as in
 * the wazo-provd-plugins N870 templates. A SIP account per handset slot
 * (`SipAccount.00001`, five digits) points at a `SipProvider.N` (N = 0..) that holds server,
 * port and transport; lines sharing a server share a provider. check-sync with reboot=false is
 * honoured natively. Firmware needs a version next to its URL and language is chosen per
 * handset, so neither is provisioned here (a warning says so).
 */

/** Raw key grammar: Gigaset nvm parameter names. */
const RAW_KEY = /^[A-Za-z][A-Za-z0-9_.]{0,199}$/;

const TEMPLATE = 'gigaset/provisioning.xml.liquid';
const TRANSPORT: Record<SipTransport, string> = { udp: '1', tcp: '2', tls: '3', 'dns-naptr': '1' };

function providerKey(line: ResolvedLine): string {
  return `${line.server}\u0000${line.port ?? ''}\u0000${line.transport}`;
}

function addProviders(list: SettingsList, ctx: BuildContext): Map<string, number> {
  const ids = new Map<string, number>();
  for (const line of ctx.lines.active) {
    const key = providerKey(line);
    if (ids.has(key)) continue;
    const id = ids.size;
    ids.set(key, id);
    const p = `SipProvider.${id}`;
    list.add(`${p}.Name`, `Provider ${id + 1}`);
    list.add(`${p}.Domain`, line.server);
    list.add(`${p}.ProxyServerAddress`, line.server);
    if (line.port !== undefined) list.add(`${p}.ProxyServerPort`, line.port);
    list.add(`${p}.RegServerAddress`, line.server);
    if (line.port !== undefined) list.add(`${p}.RegServerPort`, line.port);
    list.add(`${p}.TransportProtocol`, TRANSPORT[line.transport]);
    list.add(`${p}.UseSIPS`, line.transport === 'tls' ? '1' : '0');
    // DnsQuery 1 = resolve the server through DNS SRV records instead of a plain A lookup.
    list.add(`${p}.DnsQuery`, line.transport === 'dns-naptr' ? '1' : '0');
  }
  return ids;
}

function addAccounts(list: SettingsList, ctx: BuildContext, providers: Map<string, number>): void {
  ctx.lines.slots.forEach((line, i) => {
    const p = `SipAccount.${String(i + 1).padStart(5, '0')}`;
    // Unassigned slots are emptied so no old credential stays on the base station.
    list.add(`${p}.AuthName`, line?.authName ?? '');
    list.add(`${p}.AuthPassword`, line?.password ?? '');
    list.add(`${p}.UserName`, line?.username ?? '');
    if (!line) return;
    list.add(`${p}.DisplayName`, line.displayName);
    list.add(`${p}.ProviderId`, providers.get(providerKey(line))!);
  });
}

export function gigasetDeviceViews(ctx: BuildContext): ViewFile[] {
  const { settings } = ctx;
  const list = new SettingsList();
  if (settings.adminPassword !== undefined) list.add('WebUIAccounts.1.Password', settings.adminPassword);
  if (settings.provisioningUrl) list.add('Provisioning.global.ProvisioningServer', settings.provisioningUrl.href);
  if (settings.ntpServer) list.add('DmGlobal.0.NtpServer', settings.ntpServer);
  if (settings.timeZone) {
    const zone = gigasetZone(settings.timeZone);
    if (zone.substituted) {
      ctx.warnings.push(
        `gigaset has no zone "${settings.timeZone.zone}"; using "${zone.name}"${zone.exact ? ' (same rules)' : ' (offset or DST rule differs)'}`,
      );
    }
    list.add('DmGlobal.0.TimeZone', zone.name);
  }
  addAccounts(list, ctx, addProviders(list, ctx));

  const [book] = limitPhonebooks(ctx, 1);
  list.add('Netdir.1.Activated', book ? '1' : '0');
  list.add('XMLDir.1.ProviderName', book?.name ?? '');
  list.add('XMLDir.1.ServerURL', book?.url.href ?? '');
  list.add('XMLDir.1.WhitePagesDirName', book?.name ?? '');
  if (book) list.add('XMLDir.1.StartWithListWP', '1');

  if (settings.language)
    ctx.warnings.push(`gigaset handsets choose their language locally; "${settings.language}" is not provisioned`);
  if (settings.firmwareUrl)
    ctx.warnings.push('gigaset firmware needs a version with its URL; firmware URL not provisioned');
  if (settings.dialPlan && isRestricted(settings.dialPlan))
    ctx.warnings.push(unsupportedDialPlanWarning(settings.dialPlan, 'gigaset'));
  list.applyRawKeys(ctx.input.rawKeys, RAW_KEY, 'gigaset');

  const [name] = GIGASET_FILES.device(ctx.input.mac, ctx.input.model);
  return [
    {
      name: name!,
      template: TEMPLATE,
      flavour: 'xml',
      view: { params: list.toArray() },
      carriesSecrets: holdsSecrets(ctx),
    },
  ];
}
