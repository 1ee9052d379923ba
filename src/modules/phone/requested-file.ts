import { VENDOR_FAMILIES } from '../../model/directory/vendor-family.js';
import { parseMac } from '../devices/mac.js';
import { CISCO_SEARCH_PAGE } from '../render/phonebook/formats/cisco.js';
import { PHONEBOOK_FORMATS, type PhonebookFormat } from '../render/phonebook/index.js';
import { VENDOR_REGISTRY } from '../vendors/registry.js';

/**
 * Classifies the path a phone asked for, following the file naming contract
 * (helpers/file-names.md): per-device files carry the MAC where the vendor puts it, common files
 * carry none, phonebooks live under `/pb/<token>/<format>.xml`, firmware under `/firmware/…`.
 * An optional `/t/<tenantSlug>` prefix comes first. Pure and total: never throws.
 *
 * `invalid` → answer 400 (hostile or malformed), `unknown` → answer 404 (well-formed, not ours).
 */

export { PHONEBOOK_FORMATS, type PhonebookFormat };

/**
 * Phonebook file names that stand for a format's own `<format>.xml`. Grandstream phones take a
 * folder (P331) and always request `<folder>/phonebook.xml`.
 */
const PHONEBOOK_ALIASES: ReadonlyMap<string, PhonebookFormat> = new Map([['phonebook.xml', 'grandstream']]);

export type InvalidPathReason =
  | 'not_a_path'
  | 'path_too_long'
  | 'bad_encoding'
  | 'nul_byte'
  | 'backslash'
  | 'forbidden_character'
  | 'dot_segment'
  | 'name_too_long';

interface Prefixed {
  /** Tenant slug from a `/t/<slug>/…` prefix, when present. */
  tenantPrefix?: string;
}

export type RequestedFile =
  | ({ kind: 'device'; mac: string; name: string } & Prefixed)
  | ({ kind: 'common'; name: string } & Prefixed)
  | ({ kind: 'phonebook'; token: string; format: PhonebookFormat; page?: number; search?: true } & Prefixed)
  | ({ kind: 'firmware'; name: string } & Prefixed)
  | ({ kind: 'app'; mac: string; screen: AppScreen } & Prefixed)
  | { kind: 'invalid'; reason: InvalidPathReason }
  | { kind: 'unknown' };

export const MAX_PATH_LENGTH = 1024;
export const MAX_NAME_LENGTH = 255;
export const TENANT_SEGMENT = 't';
export const PHONEBOOK_SEGMENT = 'pb';
export const FIRMWARE_SEGMENT = 'firmware';
/** The phone contacts app: `/app/<mac>/<screen>.xml`, authenticated as the device the MAC names. */
export const APP_SEGMENT = 'app';
export const APP_SCREENS = ['menu', 'letters', 'browse', 'search', 'results', 'add', 'save'] as const;
export type AppScreen = (typeof APP_SCREENS)[number];
/** Firmware may sit in vendor/model sub-folders of the firmware folder, but not arbitrarily deep. */
const MAX_FIRMWARE_DEPTH = 4;

const ALLOWED_PATH = /^[A-Za-z0-9._\-/]*$/;
const TENANT_SLUG = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;
const PHONEBOOK_TOKEN = /^[A-Za-z0-9_-]{8,128}$/;
const CISCO_PAGE = /^cisco-(\d{1,4})\.xml$/;
/** The Cisco search prompt (CiscoIPPhoneInput); the phone sends the typed text back as `?q=`. */
export const CISCO_SEARCH_FILE = CISCO_SEARCH_PAGE;

/**
 * Per-device name shapes of the contract, each with the MAC in the one place the vendor puts it:
 * every family's `files.requested` (families that share a shape, as `<mac>.cfg`, list it each).
 */
const DEVICE_NAMES: readonly RegExp[] = [
  ...new Map(
    VENDOR_FAMILIES.flatMap((family) => VENDOR_REGISTRY[family].files.requested).map((shape) => [
      shape.source + '/' + shape.flags,
      shape,
    ]),
  ).values(),
];

/** `000000000000.cfg` is Poly's master file for unknown devices (and never a Fanvil device). */
const ZERO_MAC = '000000000000';

export function parseRequestedPath(rawUrlPath: unknown): RequestedFile {
  if (typeof rawUrlPath !== 'string') return invalid('not_a_path');
  const end = firstIndexOf(rawUrlPath, '?', '#');
  if (end > MAX_PATH_LENGTH) return invalid('path_too_long');
  const decoded = decodeOnce(rawUrlPath.slice(0, end));
  if (decoded === undefined) return invalid('bad_encoding');
  // A `%` left after one decoding round means double encoding (`%252e`) or a literal `%`: neither is a name.
  if (decoded.includes('%')) return invalid('bad_encoding');
  if (decoded.includes('\u0000')) return invalid('nul_byte');
  if (decoded.includes('\\')) return invalid('backslash');
  if (!decoded.startsWith('/')) return invalid('not_a_path');
  if (!ALLOWED_PATH.test(decoded)) return invalid('forbidden_character');
  // Empty segments are tolerated: phones configured with a trailing `/` in the server URL ask for `//name`.
  const segments = decoded.split('/').filter((segment) => segment.length > 0);
  for (const segment of segments) {
    if (segment.startsWith('.')) return invalid('dot_segment');
    if (segment.length > MAX_NAME_LENGTH) return invalid('name_too_long');
  }
  return route(segments);
}

function route(segments: string[]): RequestedFile {
  let tenantPrefix: string | undefined;
  let rest = segments;
  if (segments[0] === TENANT_SEGMENT) {
    if (segments.length < 3 || !TENANT_SLUG.test(segments[1]!)) return { kind: 'unknown' };
    tenantPrefix = segments[1];
    rest = segments.slice(2);
  }
  const prefixed = <T extends object>(file: T): T & Prefixed =>
    tenantPrefix === undefined ? file : { ...file, tenantPrefix };

  if (rest[0] === PHONEBOOK_SEGMENT) {
    const phonebook = routePhonebook(rest);
    return phonebook ? prefixed(phonebook) : { kind: 'unknown' };
  }
  if (rest[0] === APP_SEGMENT) {
    const app = routeApp(rest);
    return app ? prefixed(app) : { kind: 'unknown' };
  }
  if (rest[0] === FIRMWARE_SEGMENT) {
    if (rest.length < 2 || rest.length > MAX_FIRMWARE_DEPTH + 1) return { kind: 'unknown' };
    return prefixed({ kind: 'firmware' as const, name: rest.slice(1).join('/') });
  }
  if (rest.length !== 1) return { kind: 'unknown' };
  const name = rest[0]!;
  for (const shape of DEVICE_NAMES) {
    const match = shape.exec(name);
    if (!match) continue;
    const hex = match[1]!.toLowerCase();
    if (hex === ZERO_MAC) return prefixed({ kind: 'common' as const, name });
    const mac = parseMac(hex);
    // Broadcast and multicast MACs are never a phone: a well-formed request for nothing.
    return mac.ok ? prefixed({ kind: 'device' as const, mac: mac.mac, name }) : { kind: 'unknown' };
  }
  return prefixed({ kind: 'common' as const, name });
}

function routePhonebook(
  rest: string[],
): { kind: 'phonebook'; token: string; format: PhonebookFormat; page?: number; search?: true } | undefined {
  if (rest.length !== 3 || !PHONEBOOK_TOKEN.test(rest[1]!)) return undefined;
  const token = rest[1]!;
  const file = rest[2]!.toLowerCase();
  if (file === CISCO_SEARCH_FILE) return { kind: 'phonebook', token, format: 'cisco', search: true };
  const page = CISCO_PAGE.exec(file);
  if (page) {
    const number = Number(page[1]);
    return number >= 1 ? { kind: 'phonebook', token, format: 'cisco', page: number } : undefined;
  }
  if (!file.endsWith('.xml')) return undefined;
  const format = PHONEBOOK_ALIASES.get(file) ?? PHONEBOOK_FORMATS.find((candidate) => `${candidate}.xml` === file);
  return format ? { kind: 'phonebook', token, format } : undefined;
}

function routeApp(rest: string[]): { kind: 'app'; mac: string; screen: AppScreen } | undefined {
  if (rest.length !== 3 || !/^[0-9a-f]{12}$/i.test(rest[1]!)) return undefined;
  const mac = parseMac(rest[1]!.toLowerCase());
  const screen = APP_SCREENS.find((candidate) => `${candidate}.xml` === rest[2]);
  return mac.ok && screen ? { kind: 'app', mac: mac.mac, screen } : undefined;
}

function decodeOnce(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined; // malformed escapes and invalid UTF-8 such as overlong `%c0%ae`
  }
}

function firstIndexOf(text: string, ...needles: string[]): number {
  let end = text.length;
  for (const needle of needles) {
    const at = text.indexOf(needle);
    if (at >= 0 && at < end) end = at;
  }
  return end;
}

function invalid(reason: InvalidPathReason): RequestedFile {
  return { kind: 'invalid', reason };
}
