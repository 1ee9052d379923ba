import { isRestricted, unsupportedDialPlanWarning } from '../../render/device/dial-plans.js';
import { FANVIL_FILES } from './fanvil.files.js';
import { fanvilLanguage, fanvilTime } from './fanvil.locale.js';
import { unsupportedLanguageWarning } from '../../render/device/languages.js';
import type { ModelInfo } from '../../render/device/models.js';
import { RenderError, type SipTransport } from '../../render/device/render.types.js';
import { hasUnsafeCharacters } from '../../render/device/values.js';
import {
  holdsSecrets,
  limitPhonebooks,
  type BuildContext,
  type CheckedSettings,
  type ViewFile,
} from '../../render/device/view-context.js';

/*
 * Fanvil X-series, new XML format <sysConf> (firmware 2.x), laid out as in the
 * wazo-provd-plugins Fanvil templates: <sip><line index="N">, <phone><date>, <dsskey>, <web>,
 * <ap> (auto-provisioning), <fwCheck>. Lines are written for every slot (a slot the file leaves
 * out keeps its old registration). No dial-plan restriction and no NOTIFY switch exist here:
 * check-sync re-provisions by default.
 */

/** Raw key grammar: Fanvil `section.Element`, each part an element name. */
const RAW_KEY = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;

const TEMPLATE = 'fanvil/sysconf.xml.liquid';
// <Transport> values follow the web UI order: UDP, TCP, TLS, DNS-SRV.
const TRANSPORT: Record<SipTransport, string> = { udp: '0', tcp: '1', tls: '2', 'dns-naptr': '3' };

interface ApView {
  serverUrl: string;
  /** <FlashProtocol>: 4 HTTP, 5 HTTPS. */
  protocol: string;
}

function apView(settings: CheckedSettings): ApView {
  const url = settings.provisioningUrl;
  return { serverUrl: url?.href ?? '', protocol: url?.scheme === 'https' ? '5' : '4' };
}

/** Raw keys are `section.Element`; they become extra sections after the generated ones (later wins). */
function rawSections(ctx: BuildContext) {
  const sections = new Map<string, Array<{ key: string; value: string }>>();
  for (const key of Object.keys(ctx.input.rawKeys).sort()) {
    const [section, element, ...rest] = key.split('.');
    const value = ctx.input.rawKeys[key]!;
    if (!section || !element || rest.length > 0 || !RAW_KEY.test(section) || !RAW_KEY.test(element)) {
      throw new RenderError(`raw key "${key.slice(0, 80)}" must be "section.Element"`, 'fanvil');
    }
    if (hasUnsafeCharacters(value))
      throw new RenderError(`raw key "${key}" has a value with a line break or control character`, 'fanvil');
    sections.set(section, [...(sections.get(section) ?? []), { key: element, value }]);
  }
  return [...sections].map(([name, settings]) => ({ name, settings }));
}

export function fanvilDeviceViews(ctx: BuildContext): ViewFile[] {
  const { settings } = ctx;
  const lines = ctx.lines.slots.map((line, i) => ({
    index: String(i + 1),
    enabled: line ? '1' : '0',
    phoneNumber: line?.username ?? '',
    displayName: line?.displayName ?? '',
    label: line?.label ?? '',
    server: line?.server ?? '',
    port: line?.port === undefined ? '' : String(line.port),
    authName: line?.authName ?? '',
    password: line?.password ?? '',
    transport: line ? TRANSPORT[line.transport] : '0',
    // DSS key: type 2 = line key bound to SIP line N; 0 = unused.
    keyType: line ? '2' : '0',
    keyValue: line ? `SIP${i + 1}` : '',
  }));

  let language = '';
  if (settings.language) {
    language = fanvilLanguage(settings.language) ?? '';
    if (!language) ctx.warnings.push(unsupportedLanguageWarning('fanvil', settings.language));
  }
  const time = settings.timeZone ? fanvilTime(settings.timeZone) : undefined;
  const [book] = limitPhonebooks(ctx, 1);
  if (settings.dialPlan && isRestricted(settings.dialPlan))
    ctx.warnings.push(unsupportedDialPlanWarning(settings.dialPlan, 'fanvil'));

  const view = {
    lines,
    adminPassword: settings.adminPassword ?? '',
    language,
    ntpServer: settings.ntpServer ?? '',
    hasTime: time !== undefined,
    time: time ?? { timeZone: '', timeZoneName: '' },
    hasDst: time?.dst !== undefined,
    dst: time?.dst ?? {},
    // Soft key type 21 opens an XML phonebook URL; it is fetched when opened, not on a timer.
    directory: { url: book?.url.href ?? '', title: book?.name ?? '' },
    ap: apView(settings),
    firmwareUrl: settings.firmwareUrl?.href ?? '',
    extraSections: rawSections(ctx),
  };
  const [name] = FANVIL_FILES.device(ctx.input.mac, ctx.input.model);
  return [{ name: name!, template: TEMPLATE, flavour: 'xml', view, carriesSecrets: holdsSecrets(ctx) }];
}

/** `<model>.cfg`: provisioning and firmware only, no lines and no secrets. */
export function fanvilCommonViews(model: ModelInfo, settings: CheckedSettings): ViewFile[] {
  return FANVIL_FILES.common(model.id).map((name) => ({
    name,
    template: TEMPLATE,
    flavour: 'xml' as const,
    view: {
      lines: [],
      adminPassword: '',
      language: '',
      ntpServer: '',
      hasTime: false,
      time: { timeZone: '', timeZoneName: '' },
      hasDst: false,
      dst: {},
      directory: { url: '', title: '' },
      ap: apView(settings),
      firmwareUrl: settings.firmwareUrl?.href ?? '',
      extraSections: [],
    },
    carriesSecrets: false,
  }));
}
