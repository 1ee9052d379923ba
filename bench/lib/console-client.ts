import { performance } from 'node:perf_hooks';

/**
 * A browser-less console client: the real sign-in form (GET for the CSRF token and the session
 * cookie, POST email + password), then GETs with the session cookie, as a browser sends them.
 */
export class ConsoleClient {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly baseUrl: string) {}

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1));
    }
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** GET; ms until the whole body arrived, the status and the body. Redirects are not followed. */
  async get(path: string): Promise<{ ms: number; status: number; body: string }> {
    const started = performance.now();
    const response = await fetch(this.baseUrl + path, { headers: { cookie: this.cookieHeader() }, redirect: 'manual' });
    const body = await response.text();
    const ms = performance.now() - started;
    this.remember(response);
    return { ms, status: response.status, body };
  }

  /**
   * The sign-in form submitted: ms of the POST alone (the argon2id verify, the session written),
   * which must answer 303 to /console. The GET before it (CSRF token) is not timed.
   */
  async signIn(email: string, password: string): Promise<number> {
    this.cookies.clear();
    const form = await this.get('/console/sign-in');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
    if (form.status !== 200 || !csrf) throw new Error(`sign-in form answered ${form.status} without a CSRF token`);
    const started = performance.now();
    const response = await fetch(`${this.baseUrl}/console/sign-in`, {
      method: 'POST',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
      redirect: 'manual',
    });
    await response.arrayBuffer();
    const ms = performance.now() - started;
    this.remember(response);
    if (response.status !== 303 || response.headers.get('location') !== '/console')
      throw new Error(`sign-in answered ${response.status} (location ${response.headers.get('location')})`);
    return ms;
  }
}

/**
 * The tenant's screens as the navigation links them (src/modules/console/views/nav.eta): every
 * `/console/t/<slug>/…` href of `<nav class="side">`, so a new screen is benchmarked once its
 * nav entry has an href.
 */
export function navScreens(html: string, slug: string): string[] {
  const nav = /<nav class="side"[\s\S]*?<\/nav>/.exec(html)?.[0];
  if (!nav) throw new Error('page without the side navigation');
  const prefix = `/console/t/${encodeURIComponent(slug)}/`;
  const hrefs = [...nav.matchAll(/href="([^"]+)"/g)].map((match) => match[1]!.replace(/&amp;/g, '&'));
  return [...new Set(hrefs.filter((href) => href.startsWith(prefix)))];
}
