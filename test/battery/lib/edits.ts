import type pg from 'pg';
import { sleep } from './admin.js';
import type { SeededTenant } from './seed.js';

interface Pending {
  /** Last value the API acknowledged (2xx). */
  acked?: string;
  /** Values sent after the last acknowledgement whose outcome is unknown (error or no answer). */
  unsure: string[];
}

export interface EditCheck {
  writes: number;
  acknowledged: number;
  refused: number;
  /** Acknowledged writes the database does not hold. */
  lost: string[];
}

/**
 * A stream of admin-API writes while faults happen: contact renames (→ phonebook renders),
 * account renames (→ device renders) and new contacts. It remembers what the API acknowledged,
 * so "nothing committed is lost" can be checked against the database afterwards. A write whose
 * answer never came may or may not have committed; either outcome is accepted for it.
 */
export class EditStream {
  private running = false;
  private loop?: Promise<void>;
  private counter = 0;
  readonly contacts = new Map<string, Pending>();
  readonly accounts = new Map<string, Pending>();
  readonly created: string[] = [];
  writes = 0;
  acknowledged = 0;
  refused = 0;

  constructor(
    private readonly tenant: SeededTenant,
    private readonly contactIds: string[],
    private readonly tag: string,
    private readonly everyMs = 150,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    const base = `/api/v1/tenants/${this.tenant.slug}`;
    while (this.running) {
      const n = this.counter++;
      const value = `${this.tag}${n}`;
      if (n % 3 === 0) {
        const id = this.contactIds[n % this.contactIds.length]!;
        await this.write(this.contacts, id, value, () =>
          this.tenant.owner.request('PATCH', `${base}/contacts/${id}`, { lastName: value }, { timeoutMs: 15_000 }),
        );
      } else if (n % 3 === 1) {
        const account = this.tenant.accounts[n % this.tenant.accounts.length]!;
        await this.write(this.accounts, account.id, value, () =>
          this.tenant.owner.request(
            'PATCH',
            `${base}/accounts/${account.id}`,
            { displayName: value },
            { timeoutMs: 15_000 },
          ),
        );
      } else {
        this.writes += 1;
        const answer = await this.tenant.owner
          .request<{ id: string }>(
            'POST',
            `${base}/contacts`,
            {
              firstName: value,
              lastName: 'Created',
              numbers: [{ type: 'work', number: `+4989${String(1000000 + (n % 8999999))}` }],
            },
            { timeoutMs: 15_000 },
          )
          .catch(() => undefined);
        if (answer && answer.status < 300) {
          this.acknowledged += 1;
          this.created.push(answer.body.id);
        } else if (answer) this.refused += 1;
      }
      await sleep(this.everyMs);
    }
  }

  private async write(
    book: Map<string, Pending>,
    id: string,
    value: string,
    send: () => Promise<{ status: number }>,
  ): Promise<void> {
    this.writes += 1;
    const pending = book.get(id) ?? { unsure: [] };
    book.set(id, pending);
    const answer = await send().catch(() => undefined);
    if (answer && answer.status < 300) {
      this.acknowledged += 1;
      pending.acked = value;
      pending.unsure = [];
    } else {
      if (answer) this.refused += 1;
      // A refused write (4xx/5xx answered) committed nothing; an unanswered one might have.
      if (!answer || answer.status >= 500) pending.unsure.push(value);
    }
  }

  /** Compares what the API acknowledged with the database. */
  async verify(db: pg.Pool): Promise<EditCheck> {
    const lost: string[] = [];
    const compare = async (table: 'contacts' | 'accounts', column: string, book: Map<string, Pending>) => {
      for (const [id, pending] of book) {
        if (pending.acked === undefined && pending.unsure.length === 0) continue;
        const { rows } = await db.query(`select ${column} as value from ${table} where id = $1`, [id]);
        const actual = (rows[0] as { value: string } | undefined)?.value;
        const allowed = [...(pending.acked !== undefined ? [pending.acked] : []), ...pending.unsure];
        if (pending.acked === undefined) continue;
        if (!allowed.includes(actual ?? ''))
          lost.push(`${table} ${id}: ${column} = ${actual}, acknowledged ${pending.acked}`);
      }
    };
    await compare('contacts', 'last_name', this.contacts);
    await compare('accounts', 'display_name', this.accounts);
    if (this.created.length) {
      const { rows } = await db.query(`select id from contacts where id = any($1::uuid[])`, [this.created]);
      const present = new Set((rows as { id: string }[]).map((row) => row.id));
      for (const id of this.created) if (!present.has(id)) lost.push(`contact ${id} created (201) but missing`);
    }
    return { writes: this.writes, acknowledged: this.acknowledged, refused: this.refused, lost };
  }
}
