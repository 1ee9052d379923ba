import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { MASKED } from '../../audit/audit.mask.js';
import { generateProvisioningSecret } from '../../devices/device-secret.js';
import type { UserAgentInfo } from '../user-agent.js';
import { inTransaction } from './sql.js';
import type { TenantInfo } from './tenant-cache.js';

export interface AutoEnrolOptions {
  enabled: boolean;
  /** Most pending devices one tenant may hold through auto-enrolment. */
  quota: number;
}

export type EnrolOutcome = 'created' | 'exists' | 'quota' | 'skipped';

/** A MAC tried recently is not tried again for this long (enumeration must not become inserts). */
const RETRY_AFTER_MS = 60_000;
const MAX_REMEMBERED = 50_000;

/**
 * Off by default. When on, an unknown MAC fetching under a tenant prefix with a User-Agent of a
 * vendor we provision becomes a `pending` device of that tenant: an admin must activate it, and
 * until then it is answered like any unknown device (no credentials are served). The quota
 * check, the insert and the audit entry run in one transaction under a per-tenant lock, so
 * concurrent serving processes cannot exceed the quota.
 */
export class AutoEnroller {
  private readonly recent = new Map<string, number>();

  constructor(
    private readonly orm: MikroORM,
    private readonly logger: Logger,
    private readonly options: AutoEnrolOptions,
  ) {}

  get enabled(): boolean {
    return this.options.enabled;
  }

  async enrol(tenant: TenantInfo, mac: string, userAgent: UserAgentInfo): Promise<EnrolOutcome> {
    if (!this.options.enabled || !userAgent.vendor) return 'skipped';
    const now = Date.now();
    const triedAt = this.recent.get(mac);
    if (triedAt !== undefined && now - triedAt < RETRY_AFTER_MS) return 'skipped';
    if (this.recent.size >= MAX_REMEMBERED) this.recent.clear();
    this.recent.set(mac, now);

    const vendor = userAgent.vendor;
    const model = userAgent.model?.slice(0, 64) ?? null;
    const outcome = await inTransaction(this.orm, async (sql): Promise<EnrolOutcome> => {
      await sql(`select pg_advisory_xact_lock(hashtext('provd:auto-enrol:' || ?))`, [tenant.id]);
      const [counted] = await sql<{ n: number }>(
        `select count(*)::int as n from devices where tenant_id = ? and status = 'pending'`,
        [tenant.id],
      );
      if ((counted?.n ?? 0) >= this.options.quota) return 'quota';
      const inserted = await sql<{ id: string }>(
        `insert into devices (id, tenant_id, mac, vendor, model, status, overrides, provisioning_secret, created_at, updated_at)
         values (gen_random_uuid(), ?, ?, ?, ?, 'pending', '{}'::jsonb, ?, now(), now())
         on conflict (mac) do nothing returning id::text as id`,
        [tenant.id, mac, vendor, model, generateProvisioningSecret()],
      );
      const id = inserted[0]?.id;
      if (!id) return 'exists';
      await sql(
        `insert into audit_entries (id, tenant_id, entity_type, entity_id, action, actor_token_id, actor_name, actor_role, before, after, created_at)
         values (gen_random_uuid(), ?, 'Device', ?, 'create', null, 'phone server auto-enrolment', 'system', null, ?::jsonb, now())`,
        [tenant.id, id, JSON.stringify({ id, mac, vendor, model, status: 'pending', provisioningSecret: MASKED })],
      );
      return 'created';
    });
    if (outcome === 'created')
      this.logger.info(
        { tenant: tenant.slug, mac, vendor, model },
        'auto-enrolled an unknown phone as a pending device',
      );
    if (outcome === 'quota')
      this.logger.warn(
        { tenant: tenant.slug, quota: this.options.quota },
        'auto-enrolment quota reached; unknown phone not enrolled',
      );
    return outcome;
  }
}
