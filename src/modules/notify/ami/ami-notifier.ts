import type { Logger } from 'pino';
import type { Notifier, NotifyOutcome, NotifyTarget, ResyncEvent } from '../notify.types.js';
import { PeerConnectionError, type ReconnectOptions } from '../reconnecting-client.js';
import { formatSipUri, parseSipUri } from '../sip/sip-uri.js';
import { sanitizeReason } from '../sip/sip-notifier.js';
import { AmiClient } from './ami-client.js';
import { amiField, isSafeAmiValue, type AmiField } from './ami-protocol.js';

export interface AsteriskAmiDriverConfig {
  driver: 'asterisk-ami';
  host: string;
  port?: number;
  username: string;
  secret: string;
  actionTimeoutMs?: number;
  reconnect?: ReconnectOptions;
}

/**
 * The `asterisk-ami` driver: Asterisk sends the NOTIFY (PJSIPNotify) to the endpoint's
 * registered contacts, so it goes out from the registrar the phone trusts. A success response
 * only means Asterisk queued the NOTIFY; the phone's answer is not reported back over AMI.
 */
export class AsteriskAmiNotifier implements Notifier {
  private readonly client: AmiClient;

  constructor(config: AsteriskAmiDriverConfig, logger?: Logger) {
    this.client = new AmiClient(config, logger);
  }

  async notify(target: NotifyTarget, event: ResyncEvent): Promise<NotifyOutcome> {
    const fields = pjsipNotifyFields(target, event);
    if (!fields.ok) return { ok: false, reason: fields.reason, retryable: false };
    let response;
    try {
      response = await this.client.action('PJSIPNotify', fields.fields);
    } catch (error) {
      const authFailed = error instanceof PeerConnectionError && error.authFailed;
      const reason = error instanceof PeerConnectionError ? error.message : 'ami request failed';
      return { ok: false, reason, retryable: !authFailed };
    }
    const message = sanitizeReason(amiField(response, 'Message') ?? '');
    if (amiField(response, 'Response')?.toLowerCase() === 'success') {
      return { ok: true, reason: `ami: ${message || 'success'}`, retryable: false };
    }
    // "Unable to push NOTIFY task" is Asterisk being busy; the rest (unknown endpoint…) will repeat.
    return { ok: false, reason: `ami error: ${message || 'unknown'}`, retryable: /push|allocate/i.test(message) };
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/**
 * Exactly one of Endpoint/URI (Channel is for in-dialog NOTIFYs, never ours). Asterisk splits a
 * `Variable:` value on commas and joins repeated `Content=` lines with CRLF into the body.
 */
export function pjsipNotifyFields(
  target: NotifyTarget,
  event: ResyncEvent,
): { ok: true; fields: AmiField[] } | { ok: false; reason: string } {
  const fields: AmiField[] = [];
  const endpoint = target.endpoint ?? target.sipUser;
  if (endpoint) {
    if (!/^[^\s\0]{1,80}$/.test(endpoint)) return { ok: false, reason: 'invalid endpoint name' };
    fields.push(['Endpoint', endpoint]);
  } else if (target.contactUri) {
    const parsed = parseSipUri(target.contactUri);
    if (!parsed.ok) return { ok: false, reason: `invalid contact URI: ${parsed.problem}` };
    fields.push(['URI', formatSipUri(parsed.uri)]);
  } else return { ok: false, reason: 'no endpoint, SIP user or contact URI' };

  const variables = [`Event=${event.event}`];
  if (event.body) {
    variables.push(`Content-Type=${event.contentType ?? 'text/plain'}`);
    for (const line of event.body.split(/\r?\n/)) variables.push(`Content=${line}`);
  }
  for (const variable of variables) fields.push(['Variable', variable]);

  for (const [, value] of fields) {
    if (!isSafeAmiValue(value)) return { ok: false, reason: 'value contains a line break' };
  }
  if (variables.some((v) => v.includes(',')))
    return { ok: false, reason: 'AMI cannot pass a comma in a NOTIFY header or body' };
  return { ok: true, fields };
}
