import type { Logger } from 'pino';
import type { Notifier, NotifyOutcome, NotifyTarget, ResyncEvent } from '../notify.types.js';
import { PeerConnectionError, type ReconnectOptions } from '../reconnecting-client.js';
import { sanitizeReason } from '../sip/sip-notifier.js';
import { EslClient } from './esl-client.js';

export interface FreeswitchDriverConfig {
  driver: 'freeswitch';
  host: string;
  port?: number;
  password: string;
  /** Sofia profile the phones register to, e.g. `internal`. */
  profile: string;
  /** Used when the target carries no domain. */
  defaultDomain?: string;
  commandTimeoutMs?: number;
  reconnect?: ReconnectOptions;
}

const TOKEN = /^[^\s@\0]{1,128}$/;

/**
 * The `freeswitch` driver: `sofia profile <profile> check_sync <user>@<domain>` makes FreeSWITCH
 * NOTIFY the registration(s) of that user. FreeSWITCH picks the event itself from the phone's
 * User-Agent (mod_sofia sofia_reg_send_reboot), so the vendor table's event is not applied here.
 */
export class FreeswitchNotifier implements Notifier {
  private readonly client: EslClient;
  // Only what commands need: the config object also holds the password.
  private readonly profile: string;
  private readonly defaultDomain: string | undefined;

  constructor(config: FreeswitchDriverConfig, logger?: Logger) {
    this.client = new EslClient(config, logger);
    this.profile = config.profile;
    this.defaultDomain = config.defaultDomain;
  }

  async notify(target: NotifyTarget, _event: ResyncEvent): Promise<NotifyOutcome> {
    const domain = target.domain ?? this.defaultDomain;
    if (!target.sipUser || !domain) return { ok: false, reason: 'no SIP user or domain', retryable: false };
    if (![this.profile, target.sipUser, domain].every((part) => TOKEN.test(part))) {
      return { ok: false, reason: 'profile, user or domain not usable in a command', retryable: false };
    }
    let body: string;
    try {
      body = await this.client.api(`sofia profile ${this.profile} check_sync ${target.sipUser}@${domain}`);
    } catch (error) {
      const authFailed = error instanceof PeerConnectionError && error.authFailed;
      const reason = error instanceof PeerConnectionError ? error.message : 'esl request failed';
      return { ok: false, reason, retryable: !authFailed };
    }
    const firstLine = sanitizeReason(body.trim().split('\n')[0] ?? '');
    if (firstLine.startsWith('+OK')) return { ok: true, reason: `freeswitch: ${firstLine}`, retryable: false };
    return { ok: false, reason: `freeswitch: ${firstLine || 'empty reply'}`, retryable: false };
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
