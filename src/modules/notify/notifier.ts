import type { Logger } from 'pino';
import type { Notifier, NotifyOutcome } from './notify.types.js';
import { SipNotifier, type SipDriverConfig } from './sip/sip-notifier.js';
import { AsteriskAmiNotifier, type AsteriskAmiDriverConfig } from './ami/ami-notifier.js';
import { FreeswitchNotifier, type FreeswitchDriverConfig } from './freeswitch/esl-notifier.js';

export type { Notifier, NotifyOutcome, NotifyTarget, ResyncEvent } from './notify.types.js';
export type { SipDriverConfig } from './sip/sip-notifier.js';
export type { AsteriskAmiDriverConfig } from './ami/ami-notifier.js';
export type { FreeswitchDriverConfig } from './freeswitch/esl-notifier.js';

export type NoneDriverConfig = { driver: 'none' };

/**
 * A tenant's notifier settings. AMI `secret` and ESL `password` sit under names the logger
 * redacts (see REDACT_PATHS); drivers keep them in private fields and never echo them.
 */
export type NotifierDriverConfig =
  SipDriverConfig | AsteriskAmiDriverConfig | FreeswitchDriverConfig | NoneDriverConfig;

export type NotifierDriver = NotifierDriverConfig['driver'];

export const NOTIFIER_DISABLED_REASON = 'notifier disabled';

/** `none`: the tenant does not push; phones pick changes up on their periodic resync. */
export class NoneNotifier implements Notifier {
  async notify(): Promise<NotifyOutcome> {
    return { ok: false, reason: NOTIFIER_DISABLED_REASON, retryable: false };
  }

  async close(): Promise<void> {}
}

export function createNotifier(config: NotifierDriverConfig, deps: { logger?: Logger } = {}): Notifier {
  switch (config.driver) {
    case 'sip':
      return new SipNotifier(config);
    case 'asterisk-ami':
      return new AsteriskAmiNotifier(config, deps.logger);
    case 'freeswitch':
      return new FreeswitchNotifier(config, deps.logger);
    case 'none':
      return new NoneNotifier();
  }
}
