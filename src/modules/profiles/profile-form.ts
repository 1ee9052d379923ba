import { DEVICE_VENDORS } from '../../model/directory/device.entity.js';
import { formText } from '../console/form-validation.js';
import { PLATFORM_DEFAULTS } from '../settings/platform-defaults.js';
import { SIP_TRANSPORTS } from '../settings/settings.schema.js';
import type { ProfileViewType, CreateProfileInput } from './profiles.schemas.js';

/** The scalar settings of the form, in the order shown, with the platform default a device gets when no layer sets one. */
export const SCALAR_FIELDS = [
  { key: 'sipServer', label: 'SIP server (host name or IP address)', type: 'text' },
  { key: 'sipPort', label: 'SIP port', type: 'number' },
  { key: 'sipTransport', label: 'SIP transport', type: 'select', choices: SIP_TRANSPORTS },
  { key: 'timeZone', label: 'Time zone (IANA, e.g. Europe/Berlin)', type: 'text' },
  { key: 'ntpServer', label: 'NTP server', type: 'text' },
  { key: 'language', label: 'Language (e.g. en, de, fr-CA)', type: 'text' },
  { key: 'phonebookRefreshSeconds', label: 'Phonebook refresh (seconds)', type: 'number' },
  { key: 'provisioningUrl', label: 'Provisioning URL', type: 'url' },
  { key: 'adminPassword', label: 'Phone web admin password', type: 'password' },
].map((field) => ({
  ...field,
  platformDefault: (PLATFORM_DEFAULTS as Record<string, unknown>)[field.key] ?? null,
})) as {
  key: string;
  label: string;
  type: string;
  choices?: readonly string[];
  platformDefault: unknown;
}[];
const INTEGER_KEYS = new Set(['sipPort', 'phonebookRefreshSeconds']);
export const VENDORS = DEVICE_VENDORS;

/** "key = value" lines to an object; a line without "=" is reported by its number. */
function pairs(
  text: string | undefined,
  field: string,
  errors: Record<string, string>,
): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const at = line.indexOf('=');
    if (at < 1) errors[field] ??= `line ${index + 1}: write key = value`;
    else out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  });
  return out;
}

/**
 * The form as the REST body (settings and raw keys replaced whole, as PATCH does), plus the
 * errors the form itself can find (a line without "=", JSON that does not parse).
 */
export function profileBodyFromForm(form: Record<string, unknown>): {
  body: CreateProfileInput;
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const settings: Record<string, unknown> = {};
  for (const { key } of SCALAR_FIELDS) {
    const value = formText(form, key);
    if (value !== undefined) settings[key] = INTEGER_KEYS.has(key) && /^\d{1,9}$/.test(value) ? Number(value) : value;
  }
  const firmware = pairs(formText(form, 'firmware'), 'firmware', errors);
  if (firmware && Object.keys(firmware).length) settings.firmware = firmware;
  const resync = formText(form, 'resyncEvents');
  if (resync !== undefined) {
    try {
      settings.resyncEvents = JSON.parse(resync);
    } catch {
      errors.resyncEvents = 'is not valid JSON';
    }
  }
  const rawKeys: Record<string, Record<string, string>> = {};
  for (const vendor of VENDORS) {
    const keys = pairs(formText(form, `raw-${vendor}`), `raw-${vendor}`, errors);
    if (keys && Object.keys(keys).length) rawKeys[vendor] = keys;
  }
  const body = {
    name: formText(form, 'name') ?? '',
    description: formText(form, 'description') ?? null,
    settings,
    rawKeys,
  } as CreateProfileInput;
  return { body, errors };
}

/** A stored profile as the form's fields. */
export function profileForm(view: ProfileViewType): Record<string, string> {
  const settings = view.settings as Record<string, unknown>;
  const form: Record<string, string> = { name: view.name, description: view.description ?? '' };
  for (const { key } of SCALAR_FIELDS)
    if (settings[key] !== undefined && settings[key] !== null) form[key] = String(settings[key]);
  form.firmware = Object.entries(view.settings.firmware ?? {})
    .map(([model, url]) => `${model} = ${url}`)
    .join('\n');
  form.resyncEvents = view.settings.resyncEvents ? JSON.stringify(view.settings.resyncEvents, null, 2) : '';
  for (const vendor of VENDORS)
    form[`raw-${vendor}`] = Object.entries((view.rawKeys as Record<string, Record<string, string>>)[vendor] ?? {})
      .map(([key, value]) => `${key} = ${value}`)
      .join('\n');
  return form;
}

/** A schema path ("settings.sipPort", "rawKeys.yealink.x") or a service's details.field to the form field. */
export function profileFieldOf(path: string): string {
  const [head, second] = path.split('.');
  if (head === 'settings' && second)
    return second === 'firmware' || second === 'resyncEvents' || SCALAR_FIELDS.some((f) => f.key === second)
      ? second
      : 'name';
  if (head === 'rawKeys' && second && (VENDORS as readonly string[]).includes(second)) return `raw-${second}`;
  return head === 'description' ? 'description' : 'name';
}
