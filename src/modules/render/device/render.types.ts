/**
 * Vendor-neutral input and output of the device-profile renderer. The pipeline builds a
 * DeviceRenderInput from the database (effective settings after platform → tenant → profile →
 * group → device inheritance, PhoneMap-bound lines already resolved to the active member's
 * account); the renderer turns it into the exact files a phone asks for.
 */

export { VENDOR_FAMILIES, type VendorFamily } from '../../../model/directory/vendor-family.js';
import type { VendorFamily } from '../../../model/directory/vendor-family.js';

export type SipTransport = 'udp' | 'tcp' | 'tls' | 'dns-naptr';

/** Class-of-service restriction, rendered as a dial-plan barring rule where the vendor has one. */
export interface DialPlanInput {
  /** Class-of-service name, used only in warnings. */
  name: string;
  allowInternational: boolean;
  allowNational: boolean;
  /** Digits that start an international call. Default '00' (ITU recommendation). */
  internationalPrefix?: string;
  /** Digits that start a national trunk call. Default '0'. */
  nationalPrefix?: string;
  /** A complete dial plan in the vendor's own syntax; replaces the derived one for that vendor. */
  vendorPatterns?: Partial<Record<VendorFamily, string>>;
}

export interface EffectiveSettings {
  /** IANA zone name, e.g. 'Europe/Berlin'. */
  timeZone?: string;
  ntpServer?: string;
  /** ISO 639-1 code: 'en', 'de', 'fr', … */
  language?: string;
  /** Default SIP server for lines without their own. */
  sipServer?: string;
  sipPort?: number;
  sipTransport?: SipTransport;
  /** Base URL the phones fetch their files from (no trailing file name). */
  provisioningUrl?: string;
  /** Firmware image URL, already resolved for this device's model. */
  firmwareUrl?: string;
  adminPassword?: string;
  /** How often phones re-read remote phonebooks, in seconds. */
  phonebookRefreshSeconds?: number;
  dialPlan?: DialPlanInput;
}

export interface LineInput {
  /** 1-based line (account) index on the phone. */
  index: number;
  /** Short text on the line key. */
  label: string;
  /** Caller name shown to the called party. */
  displayName: string;
  /** SIP user part (registration user). */
  username: string;
  /** Digest authentication user. */
  authName: string;
  password: string;
  server?: string;
  port?: number;
  transport?: SipTransport;
  enabled: boolean;
}

export interface PhonebookRef {
  name: string;
  url: string;
}

export interface DeviceRenderInput {
  vendor: VendorFamily;
  model: string;
  /** Canonical MAC: 12 lowercase hex digits. */
  mac: string;
  settings: EffectiveSettings;
  lines: LineInput[];
  phonebooks: PhonebookRef[];
  /** Where the phone's "Company Contacts" key or menu entry points; absent: no such entry. */
  contactsAppUrl?: string;
  /** Vendor raw keys from the profile; applied last (they win), in sorted key order. */
  rawKeys: Record<string, string>;
}

export type RenderedContentType = 'text/plain; charset=utf-8' | 'text/xml; charset=utf-8';

export interface RenderedFile {
  name: string;
  contentType: RenderedContentType;
  body: Buffer;
  /** Lowercase hex SHA-256 of body. */
  sha256: string;
  carriesSecrets: boolean;
}

export interface DeviceRenderResult {
  files: RenderedFile[];
  warnings: string[];
}

export interface CommonRenderSettings {
  provisioningUrl: string;
  firmwareUrl?: string;
}

/**
 * A render that cannot produce a correct file (bad template, impossible setting). Thrown before
 * any byte is returned, so a caller never stores half a profile. The message never contains a
 * secret value, only the name of the offending field.
 */
export class RenderError extends Error {
  constructor(
    message: string,
    readonly vendor?: VendorFamily,
    /** Stable reason (sync state, metrics label): a missing setting has its own, anything else `render_error`. */
    readonly code: string = 'render_error',
  ) {
    super(vendor ? `${vendor}: ${message}` : message);
    this.name = 'RenderError';
  }
}
