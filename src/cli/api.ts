import { CliError, type Session } from './session.js';

export interface RequestOptions {
  method?: string;
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  body?: Buffer | string;
  contentType?: string;
}

export interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** The admin API, with the session's token. An error answer becomes a CliError with its code and message. */
export class AdminApi {
  constructor(private readonly session: Pick<Session, 'url' | 'token'>) {}

  async call<T = unknown>(path: string, options: RequestOptions = {}): Promise<Answer<T>> {
    const url = new URL(`${this.session.url}/api/v1${path}`);
    for (const [key, value] of Object.entries(options.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.session.token}`,
      accept: 'application/json',
    };
    let body: Buffer | string | undefined = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    } else if (options.contentType) headers['content-type'] = options.contentType;
    let response: Response;
    try {
      response = await fetch(url, { method: options.method ?? 'GET', headers, body });
    } catch (error) {
      throw new CliError(
        `cannot reach ${this.session.url}: ${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}`,
      );
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    if (!response.ok) {
      const error = parsed as { code?: string; message?: string } | undefined;
      const detail =
        error && typeof error === 'object' && error.code
          ? `${error.code}: ${error.message ?? ''}`
          : String(text).slice(0, 200);
      throw new CliError(`${response.status} ${detail}`.trim());
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get<T = unknown>(path: string, query?: RequestOptions['query']): Promise<T> {
    return this.call<T>(path, { query }).then((answer) => answer.body);
  }

  /** Every page of a paged list (limit 500 per request). */
  async all<T>(path: string, query: RequestOptions['query'] = {}): Promise<T[]> {
    const items: T[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await this.get<{ items: T[]; total: number }>(path, { ...query, limit: 500, offset });
      items.push(...page.items);
      if (page.items.length === 0 || items.length >= page.total) return items;
    }
  }
}
