/** Every answer with status ≥ 400 any battery client received: searched for secrets at the end. */
export interface ErrorBody {
  source: string;
  status: number;
  body: string;
}

export class ErrorBodies {
  readonly items: ErrorBody[] = [];
  /** Bodies kept per (source, status, body) once: a flood of identical 401s costs nothing. */
  private readonly seen = new Set<string>();
  total = 0;

  add(source: string, status: number, body: string): void {
    this.total += 1;
    const key = `${status}\u0000${body}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push({ source, status, body });
  }
}

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  text: string;
  contentType: string;
}

/** Admin-API client bound to one bearer token; every error answer goes to `errors`. */
export class AdminClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string | undefined,
    private readonly errors: ErrorBodies,
  ) {}

  withToken(token: string | undefined): AdminClient {
    return new AdminClient(this.baseUrl, token, this.errors);
  }

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    options: { contentType?: string; timeoutMs?: number } = {},
  ): Promise<ApiAnswer<T>> {
    const raw = typeof body === 'string' || body instanceof Uint8Array;
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = options.contentType ?? (raw ? 'text/csv' : 'application/json');
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : raw ? (body as string | Uint8Array) : JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: the text itself
    }
    if (response.status >= 400) this.errors.add(`admin ${method} ${path.split('?')[0]}`, response.status, text);
    return {
      status: response.status,
      body: parsed as T,
      text,
      contentType: response.headers.get('content-type') ?? '',
    };
  }

  /** The request must succeed, or the battery stops with the answer. */
  async ok<T = any>(
    method: string,
    path: string,
    body?: unknown,
    options?: { contentType?: string; timeoutMs?: number },
  ): Promise<T> {
    const answer = await this.request<T>(method, path, body, options);
    if (answer.status >= 300)
      throw new Error(`${method} ${path} answered ${answer.status}: ${answer.text.slice(0, 400)}`);
    return answer.body;
  }
}

/** Runs `work` over `items` with at most `concurrency` in flight; results in input order. */
export async function inPool<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  });
  await Promise.all(lanes);
  return results;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns a value other than undefined/false, or throws after `timeoutMs`. */
export async function until<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(everyMs);
  }
  throw new Error(
    `${what}: not reached within ${timeoutMs} ms${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`,
  );
}
