import { createHash, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { ErrorBodies } from './admin.js';

export interface PhoneAnswer {
  status: number;
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
  /** Set when no answer came (socket error code or 'timeout'). */
  error?: string;
}

/**
 * A phone (or an attacker) talking to the phone port from one source address. Any 127.x.y.z
 * is a local address on Linux, so binding one as the socket's local address gives the server a
 * distinct client IP without touching the host's network setup.
 */
export class PhoneClient {
  private readonly agent: Agent;

  constructor(
    private readonly baseUrl: string,
    readonly source: string,
    private readonly errors: ErrorBodies,
    sockets = 4,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets, localAddress: source });
  }

  get(path: string, headers: Record<string, string> = {}, timeoutMs = 30_000): Promise<PhoneAnswer> {
    return new Promise((resolve) => {
      const req = request(
        `${this.baseUrl}${path}`,
        { agent: this.agent, localAddress: this.source, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const body = Buffer.concat(chunks);
            const status = res.statusCode ?? 0;
            if (status >= 400) this.errors.add(`phone GET ${status}`, status, body.toString('utf8'));
            resolve({ status, body, headers: res.headers });
          });
          res.on('error', (error: NodeJS.ErrnoException) =>
            resolve({ status: 0, body: Buffer.alloc(0), headers: {}, error: error.code ?? error.message }),
          );
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
      req.on('error', (error: NodeJS.ErrnoException) =>
        resolve({ status: 0, body: Buffer.alloc(0), headers: {}, error: error.code ?? error.message }),
      );
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface DigestChallenge {
  realm: string;
  nonce: string;
}

export function md5Challenge(header: string | string[] | undefined): DigestChallenge | undefined {
  const values = Array.isArray(header) ? header : header ? header.split(/,\s*(?=Digest )/i) : [];
  for (const value of values) {
    if (!/^Digest /i.test(value)) continue;
    const algorithm = (/algorithm=("?)([A-Za-z0-9-]+)\1/.exec(value)?.[2] ?? 'MD5').toUpperCase();
    const realm = /realm="([^"]*)"/.exec(value)?.[1];
    const nonce = /nonce="([^"]*)"/.exec(value)?.[1];
    if (algorithm === 'MD5' && realm !== undefined && nonce) return { realm, nonce };
  }
  return undefined;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/** RFC 7616 Digest (MD5, qop=auth) for one request, as a phone computes it. */
export function digestHeader(
  challenge: DigestChallenge,
  username: string,
  secret: string,
  uri: string,
  nc = 1,
): string {
  const ncHex = nc.toString(16).padStart(8, '0');
  const cnonce = randomBytes(8).toString('hex');
  const response = md5(
    `${md5(`${username}:${challenge.realm}:${secret}`)}:${challenge.nonce}:${ncHex}:${cnonce}:auth:${md5(`GET:${uri}`)}`,
  );
  return `Digest username="${username}", realm="${challenge.realm}", nonce="${challenge.nonce}", uri="${uri}", algorithm=MD5, qop=auth, nc=${ncHex}, cnonce="${cnonce}", response="${response}"`;
}

/** The phone's two-step fetch: a bare request for the challenge, then the same with Digest. */
export async function fetchWithDigest(
  client: PhoneClient,
  path: string,
  username: string,
  secret: string,
): Promise<{ answer: PhoneAnswer; authorization?: string }> {
  const first = await client.get(path);
  if (first.status !== 401) return { answer: first };
  const challenge = md5Challenge(first.headers['www-authenticate']);
  if (!challenge) return { answer: first };
  const authorization = digestHeader(challenge, username, secret, path);
  return { answer: await client.get(path, { authorization }), authorization };
}
