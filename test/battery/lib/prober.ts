import { sleep } from './admin.js';
import { Canaries } from './canaries.js';
import type { SeededTenant } from './seed.js';

export type AnswerClass = '2xx' | '503 clear JSON' | 'other 4xx' | 'other 5xx' | 'stack trace' | 'no answer';

export interface ProbeAnswer {
  at: number;
  method: string;
  status: number;
  kind: AnswerClass;
  body: string;
}

const STACK = /\n\s+at |\bat [^\s]+ \([^)]*:\d+:\d+\)|node:internal|\.ts:\d+:\d+/;

function classify(status: number, contentType: string, body: string): AnswerClass {
  if (STACK.test(body)) return 'stack trace';
  if (status >= 200 && status < 300) return '2xx';
  if (status === 503) {
    try {
      const parsed = JSON.parse(body) as { code?: unknown; message?: unknown };
      if (
        contentType.includes('application/json') &&
        typeof parsed.code === 'string' &&
        typeof parsed.message === 'string'
      )
        return '503 clear JSON';
    } catch {
      // not JSON: counted below
    }
    return 'other 5xx';
  }
  return status >= 500 ? 'other 5xx' : 'other 4xx';
}

/**
 * Calls the admin API without pause — a read, a new contact, a new account with a fresh canary
 * SIP password (a failed insert must not carry it into a log) — classifying every answer, and
 * remembers what the API acknowledged creating.
 */
export class ApiProber {
  readonly answers: ProbeAnswer[] = [];
  readonly created: { table: 'contacts' | 'accounts'; id: string }[] = [];
  private running = false;
  private loop?: Promise<void>;
  private n = 0;

  constructor(
    private readonly tenant: SeededTenant,
    private readonly tag: string,
    private readonly canaries: Canaries,
  ) {}

  /** `lanes` requests in flight at any time: more of them are caught mid-way by an outage. */
  start(lanes = 4): void {
    this.running = true;
    this.loop = Promise.all(Array.from({ length: lanes }, () => this.run())).then(() => undefined);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Last moment a 2xx came back. */
  lastOkAt(): number {
    for (let i = this.answers.length - 1; i >= 0; i--) if (this.answers[i]!.kind === '2xx') return this.answers[i]!.at;
    return 0;
  }

  private async run(): Promise<void> {
    const base = `/api/v1/tenants/${this.tenant.slug}`;
    while (this.running) {
      const n = this.n++;
      const table = n % 3 === 1 ? 'contacts' : n % 3 === 2 ? 'accounts' : undefined;
      const method = table ? 'POST' : 'GET';
      const body =
        table === 'contacts'
          ? {
              firstName: `${this.tag}${n}`,
              lastName: 'Probe',
              numbers: [{ type: 'work', number: `+4969${String(1000000 + n)}` }],
            }
          : table === 'accounts'
            ? {
                groupId: this.tenant.groupId,
                extension: String(200000 + n),
                displayName: `${this.tag}${n}`,
                sipPassword: this.canaries.add('sip-password', Canaries.make('Sip')),
              }
            : undefined;
      const answer = await this.tenant.owner
        .request<{ id?: string }>(method, table ? `${base}/${table}` : `${base}/contacts?limit=5&offset=0`, body, {
          timeoutMs: 15_000,
        })
        .catch(() => undefined);
      if (!answer) {
        this.answers.push({ at: Date.now(), method, status: 0, kind: 'no answer', body: '' });
      } else {
        this.answers.push({
          at: Date.now(),
          method,
          status: answer.status,
          kind: classify(answer.status, answer.contentType, answer.text),
          body: answer.text.slice(0, 300),
        });
        if (table && answer.status === 201 && answer.body.id) this.created.push({ table, id: answer.body.id });
      }
      await sleep(50);
    }
  }

  counts(): Record<AnswerClass, number> {
    const counts: Record<AnswerClass, number> = {
      '2xx': 0,
      '503 clear JSON': 0,
      'other 4xx': 0,
      'other 5xx': 0,
      'stack trace': 0,
      'no answer': 0,
    };
    for (const answer of this.answers) counts[answer.kind] += 1;
    return counts;
  }
}
