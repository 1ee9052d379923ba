import { readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { Config } from '../../../config/config.js';
import { canonicalMac } from '../../devices/mac.js';

/**
 * The optional HTTPS listener: server certificate and key, and when a CA is configured, client
 * certificates are requested (not required: phones without one use Digest or Basic) and verified
 * against it. Undefined when no certificate is configured.
 */
export function phoneTlsOptions(config: Config): ServerOptions | undefined {
  if (!config.phoneTlsCert || !config.phoneTlsKey) return undefined;
  const options: ServerOptions = {
    cert: readFileSync(config.phoneTlsCert),
    key: readFileSync(config.phoneTlsKey),
  };
  if (config.phoneTlsCa) {
    options.ca = readFileSync(config.phoneTlsCa);
    options.requestCert = true;
    options.rejectUnauthorized = false;
  }
  return options;
}

const HEX_RUN = /[0-9A-Fa-f]{2}(?:[:.-]?[0-9A-Fa-f]{2}){5,7}/g;

/**
 * The MAC a certificate vouches for: from the subject CN (`001565aabbcc`, `SEP001565AABBCC`,
 * `00:15:65:aa:bb:cc`, `yealink-001565aabbcc`) or a subjectAltName entry. Only one distinct MAC
 * may appear; a certificate naming two is trusted for neither.
 */
export function macFromCertificateNames(
  commonName: string | undefined,
  subjectAltName: string | undefined,
): string | undefined {
  const found = new Set<string>();
  for (const text of [commonName ?? '', ...(subjectAltName ?? '').split(',')]) {
    for (const run of text.match(HEX_RUN) ?? []) {
      const mac = canonicalMac(run);
      if (mac) found.add(mac);
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** MAC of a client certificate the listener verified against the configured CA, if any. */
export function verifiedClientMac(socket: unknown): string | undefined {
  const tls = socket as Partial<TLSSocket> | undefined;
  if (!tls || tls.encrypted !== true || tls.authorized !== true || typeof tls.getPeerCertificate !== 'function')
    return undefined;
  const certificate = tls.getPeerCertificate();
  if (!certificate || Object.keys(certificate).length === 0) return undefined;
  const cn = certificate.subject?.CN;
  return macFromCertificateNames(Array.isArray(cn) ? cn.join(',') : cn, certificate.subjectaltname);
}

export function isTlsSocket(socket: unknown): boolean {
  return (socket as Partial<TLSSocket> | undefined)?.encrypted === true;
}
