import type { Logger } from 'pino';
import { parseCidr, CidrSet } from '../cidr.js';
import type { Sql } from './sql.js';

/** Who may fetch device files of a tenant, by source address. */
export interface PhoneAllowList {
  allows(ip: string | undefined): boolean;
}

export interface TenantInfo {
  id: string;
  slug: string;
  allow: PhoneAllowList;
  /** tenants.directory_token: the internal directory's files live under `pb/<token>/`. */
  directoryToken: string;
}

interface TenantRow {
  id: string;
  slug: string;
  phone_allow_cidrs: string[] | null;
  directory_token: string;
}

const ALLOW_ALL: PhoneAllowList = { allows: () => true };
const DENY_ALL: PhoneAllowList = { allows: () => false };

const FINGERPRINT_SQL = `select md5(coalesce(string_agg(id::text || ':' || slug || ':' || directory_token || ':' || coalesce(array_to_string(phone_allow_cidrs, ','), '-'), '|' order by id), '')) as fingerprint from tenants`;

/**
 * Every tenant's id, slug, directory token and phone allow-list, held whole (tenants are few) and reloaded when a
 * fingerprint of the table changes, so a raw-SQL edit is seen as surely as an API one.
 */
export class TenantCache {
  private bySlugMap = new Map<string, TenantInfo>();
  private byIdMap = new Map<string, TenantInfo>();
  private fingerprint: string | undefined;
  private loading: Promise<void> | undefined;
  private readonly warned = new Set<string>();

  /** `onChange` runs after every reload that changed the table (common files embed tenant facts and must be re-rendered). */
  constructor(
    private readonly sql: Sql,
    private readonly logger: Logger,
    private readonly onChange: () => void = () => {},
  ) {}

  /** True once the first load is done (then `ready()` has nothing to wait for). */
  get loaded(): boolean {
    return this.fingerprint !== undefined;
  }

  /** Loads once on first use; afterwards `refresh()` keeps it current. */
  async ready(): Promise<void> {
    if (this.fingerprint !== undefined) return;
    this.loading ??= this.refresh()
      .then(() => undefined)
      .finally(() => (this.loading = undefined));
    await this.loading;
  }

  bySlug(slug: string): TenantInfo | undefined {
    return this.bySlugMap.get(slug);
  }

  byId(id: string): TenantInfo | undefined {
    return this.byIdMap.get(id);
  }

  /** Reloads when the table changed; returns whether it did. */
  async refresh(): Promise<boolean> {
    const [{ fingerprint }] = (await this.sql<{ fingerprint: string }>(FINGERPRINT_SQL)) as [{ fingerprint: string }];
    if (fingerprint === this.fingerprint) return false;
    const rows = await this.sql<TenantRow>(
      `select id::text as id, slug, phone_allow_cidrs, directory_token from tenants`,
    );
    const bySlug = new Map<string, TenantInfo>();
    const byId = new Map<string, TenantInfo>();
    for (const row of rows) {
      const tenant: TenantInfo = {
        id: row.id,
        slug: row.slug,
        allow: this.allowList(row),
        directoryToken: row.directory_token,
      };
      bySlug.set(row.slug, tenant);
      byId.set(row.id, tenant);
    }
    this.bySlugMap = bySlug;
    this.byIdMap = byId;
    this.fingerprint = fingerprint;
    this.onChange();
    return true;
  }

  /**
   * Fails closed: entries that do not parse are skipped (and reported once), and a list whose
   * every entry is broken allows nobody rather than everybody.
   */
  private allowList(row: TenantRow): PhoneAllowList {
    const entries = row.phone_allow_cidrs ?? [];
    if (entries.length === 0) return ALLOW_ALL;
    const valid = entries.filter((entry) => typeof entry === 'string' && parseCidr(entry) !== undefined);
    if (valid.length < entries.length && !this.warned.has(row.id)) {
      this.warned.add(row.id);
      this.logger.warn(
        { tenant: row.slug, invalid: entries.length - valid.length },
        'tenant phone allow-list has entries that are not networks; they are ignored',
      );
    }
    return valid.length === 0 ? DENY_ALL : CidrSet.parse(valid);
  }
}
