import type { Hidden } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadRequestError } from '../../../errors/errors.js';
import type { Tenant } from '../../../model/directory/tenant.entity.js';
import { TenantNotifierSettings, type NotifierDriverName, type NotifierOptions } from './notifier-settings.entity.js';
import type { NotifierSettingsInput, NotifierSettingsViewType } from './notifier-settings.schemas.js';

/** The body section that carries each driver's options, and the name of its credential there. */
const SECTIONS = { sip: 'sip', 'asterisk-ami': 'ami', freeswitch: 'freeswitch' } as const;
const CREDENTIAL = { ami: 'secret', freeswitch: 'password' } as const;
type SectionKey = (typeof SECTIONS)[keyof typeof SECTIONS];

export async function loadNotifierSettings(em: EntityManager, tenant: Tenant): Promise<TenantNotifierSettings | null> {
  return em.findOne(TenantNotifierSettings, { tenant }, { populate: ['secret'], refresh: true });
}

export function notifierSettingsView(
  row: TenantNotifierSettings | null,
  defaultRate: number,
): NotifierSettingsViewType {
  const driver: NotifierDriverName = row?.driver ?? 'none';
  const ratePerSecond = row?.ratePerSecond ?? null;
  const view: NotifierSettingsViewType = {
    driver,
    ratePerSecond,
    effectiveRatePerSecond: ratePerSecond ?? defaultRate,
    updatedAt: row ? row.updatedAt.toISOString() : null,
  };
  // Stored options went through the same schema on the way in; the credential is not among them.
  const options = (row?.options ?? {}) as {
    host: string;
    username: string;
    profile: string;
    transport?: 'udp' | 'tcp';
  };
  const credentialSet = Boolean(row?.secret);
  if (driver === 'sip') view.sip = { ...options };
  if (driver === 'asterisk-ami') view.ami = { ...options, secretSet: credentialSet };
  if (driver === 'freeswitch') view.freeswitch = { ...options, passwordSet: credentialSet };
  return view;
}

/**
 * Replaces the tenant's notifier settings. The credential is write-only: a PUT that omits it keeps
 * the stored one as long as the driver stays the same, so an admin can change a host without
 * re-typing the secret; switching drivers requires the new driver's credential.
 */
export async function putNotifierSettings(
  em: EntityManager,
  tenant: Tenant,
  input: NotifierSettingsInput,
): Promise<TenantNotifierSettings> {
  const wanted: SectionKey | undefined = input.driver === 'none' ? undefined : SECTIONS[input.driver];
  for (const key of Object.values(SECTIONS)) {
    if (key !== wanted && input[key] !== undefined) {
      throw new BadRequestError('notifier_options_mismatch', `the ${input.driver} driver takes no ${key} options`, {
        field: key,
      });
    }
  }
  const section = wanted ? (input[wanted] as Record<string, string | number> | undefined) : undefined;
  if (wanted && wanted !== 'sip' && !section) {
    throw new BadRequestError('notifier_options_required', `the ${input.driver} driver needs its ${wanted} options`, {
      field: wanted,
    });
  }

  const existing = await loadNotifierSettings(em, tenant);
  const credentialKey = wanted === 'ami' || wanted === 'freeswitch' ? CREDENTIAL[wanted] : undefined;
  const { [credentialKey ?? '']: given, ...options } = section ?? {};
  let secret: string | null = null;
  if (credentialKey) {
    secret =
      typeof given === 'string' ? given : existing?.driver === input.driver && existing.secret ? existing.secret : null;
    if (!secret)
      throw new BadRequestError(
        'notifier_secret_required',
        `the ${input.driver} driver needs ${wanted}.${credentialKey}`,
        { field: `${wanted}.${credentialKey}` },
      );
  }

  const row = existing ?? em.create(TenantNotifierSettings, { tenant });
  row.driver = input.driver;
  row.options = options as NotifierOptions;
  row.secret = secret as Hidden<string> | null;
  if (input.ratePerSecond !== undefined) row.ratePerSecond = input.ratePerSecond;
  row.updatedAt = new Date();
  await em.flush();
  return row;
}
