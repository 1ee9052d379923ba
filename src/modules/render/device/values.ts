import { RenderError, type VendorFamily } from './render.types.js';

/*
 * Value hygiene shared by every vendor. Each rendered value is one line of text that is valid in
 * XML 1.0 and in Yealink's `key = value` format:
 *  - display text (names, labels) is cleaned: line breaks become spaces, characters XML forbids
 *    and C1 controls are dropped — a cosmetic change the admin can live with;
 *  - credentials and identifiers are never altered: a password with a line break would silently
 *    become a different password on the phone, so it is refused with a RenderError instead.
 */

// XML 1.0 Char excludes C0 controls other than TAB/LF/CR, lone surrogates and U+FFFE/U+FFFF.
const XML_FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;
const LINE_BREAKS = /[\t\n\r\u0085\u2028\u2029]/g;
const UNSAFE = new RegExp(`${XML_FORBIDDEN.source}|${LINE_BREAKS.source}`, 'u');

export function displayText(value: string): string {
  return value.replace(LINE_BREAKS, ' ').replace(XML_FORBIDDEN, '');
}

export function hasUnsafeCharacters(value: string): boolean {
  return UNSAFE.test(value);
}

/** Credentials and identifiers: returned unchanged or refused. `field` never includes the value. */
export function exactText(field: string, value: string, vendor: VendorFamily): string {
  if (hasUnsafeCharacters(value)) {
    throw new RenderError(`${field} contains a line break or control character and cannot be provisioned`, vendor);
  }
  return value;
}

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?|\[[0-9A-Fa-f:.]+\])$/;

export function hostName(field: string, value: string, vendor: VendorFamily): string {
  if (value.length > 253 || !HOST.test(value)) {
    throw new RenderError(`${field} is not a host name or IP address`, vendor);
  }
  return value;
}

export function port(field: string, value: number, vendor: VendorFamily): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new RenderError(`${field} must be a whole number from 1 to 65535`, vendor);
  }
  return value;
}

export function positiveSeconds(field: string, value: number, vendor: VendorFamily): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RenderError(`${field} must be a positive whole number of seconds`, vendor);
  return value;
}

export interface CheckedUrl {
  /** The URL as given (already validated). */
  href: string;
  scheme: 'http' | 'https';
  /** Host[:port] plus path and query, without the scheme: what several phones want. */
  withoutScheme: string;
}

/** Phones fetch these URLs themselves: only absolute http(s) URLs without spaces are usable. */
export function httpUrl(field: string, value: string, vendor: VendorFamily): CheckedUrl {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new RenderError(`${field} is not an absolute URL`, vendor);
  }
  if (
    (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') ||
    /[\s"'<>\\^`{|}]/.test(value) ||
    hasUnsafeCharacters(value)
  ) {
    throw new RenderError(`${field} must be an http(s) URL without spaces or quotes`, vendor);
  }
  if (parsed.username || parsed.password) throw new RenderError(`${field} must not carry credentials`, vendor);
  return {
    href: value,
    scheme: parsed.protocol === 'https:' ? 'https' : 'http',
    withoutScheme: value.slice(parsed.protocol.length + 2),
  };
}

/** Joins a base URL and a file name with exactly one slash. */
export function joinUrl(base: string, file: string): string {
  return `${base.replace(/\/+$/, '')}/${file}`;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}
