import { createHash, randomBytes } from 'node:crypto';

/**
 * Client side of HTTP Digest (qop=auth, MD5) as a phone does it: one challenge, then the same
 * nonce with an increasing nonce count (nc) per request. The server accepts each (nonce, nc) once,
 * so every request needs its own header; these are computed ahead, off the measured path.
 */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  algorithm: 'MD5' | 'SHA-256';
}

export function parseChallenges(header: string | string[] | null): DigestChallenge | undefined {
  const values = Array.isArray(header) ? header : header ? header.split(/,\s*(?=Digest )/) : [];
  for (const value of values) {
    if (!/^Digest /i.test(value)) continue;
    const realm = /realm="([^"]*)"/.exec(value)?.[1];
    const nonce = /nonce="([^"]*)"/.exec(value)?.[1];
    const algorithm = (/algorithm=([A-Za-z0-9-]+)/.exec(value)?.[1] ?? 'MD5').toUpperCase();
    if (realm !== undefined && nonce && algorithm === 'MD5') return { realm, nonce, algorithm: 'MD5' };
  }
  return undefined;
}

export class DigestSigner {
  private nc = 0;
  private readonly cnonce = randomBytes(16).toString('hex');
  private readonly ha1: string;

  constructor(
    private readonly username: string,
    secret: string,
    private readonly challenge: DigestChallenge,
  ) {
    this.ha1 = md5(`${username}:${challenge.realm}:${secret}`);
  }

  /** The Authorization header for the next request (nc + 1). */
  next(method: string, uri: string): string {
    this.nc += 1;
    const nc = this.nc.toString(16).padStart(8, '0');
    const ha2 = md5(`${method}:${uri}`);
    const response = md5(`${this.ha1}:${this.challenge.nonce}:${nc}:${this.cnonce}:auth:${ha2}`);
    return `Digest username="${this.username}", realm="${this.challenge.realm}", nonce="${this.challenge.nonce}", uri="${uri}", algorithm=MD5, qop=auth, nc=${nc}, cnonce="${this.cnonce}", response="${response}"`;
  }
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** Asks the server for a challenge (an unauthenticated request) and returns a signer for it. */
export async function digestSignerFor(url: string, username: string, secret: string): Promise<DigestSigner> {
  const response = await fetch(url);
  await response.arrayBuffer();
  const header = response.headers.get('www-authenticate');
  const challenge = parseChallenges(header);
  if (response.status !== 401 || !challenge)
    throw new Error(`expected a digest challenge from ${url}, got ${response.status}`);
  return new DigestSigner(username, secret, challenge);
}
