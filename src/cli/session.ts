import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** What `provd login` remembers: where the admin API is, the bearer token, and the tenant it acts in. */
export interface Session {
  url: string;
  token: string;
  /** Tenant slug: the token's own tenant, or the one chosen with --tenant for a platform token. */
  tenant: string | null;
  /** Base URL of the phone server, for `provd fetch` (default: the admin host on port 8080). */
  phoneUrl?: string | null;
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

type Env = Record<string, string | undefined>;

/** $XDG_CONFIG_HOME/provd/config.json, or ~/.config/provd/config.json. */
export function sessionPath(env: Env = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'provd', 'config.json');
}

export function readStoredSession(env: Env = process.env): Partial<Session> {
  try {
    return JSON.parse(readFileSync(sessionPath(env), 'utf8')) as Partial<Session>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`cannot read ${sessionPath(env)}: ${(error as Error).message}`);
  }
}

/** The file holds a bearer token: only its owner may read it (0600, folder 0700). */
export function storeSession(session: Session, env: Env = process.env): string {
  const path = sessionPath(env);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, JSON.stringify(session, null, 2) + '\n', { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

/** PROVD_URL / PROVD_TOKEN / PROVD_TENANT / PROVD_PHONE_URL win over the stored session (one variable at a time). */
export function currentSession(env: Env = process.env): Session {
  const stored = readStoredSession(env);
  const url = env.PROVD_URL || stored.url;
  const token = env.PROVD_TOKEN || stored.token;
  if (!url || !token)
    throw new CliError(
      'not signed in: run `provd login --url <admin URL> --token <token>` or set PROVD_URL and PROVD_TOKEN',
    );
  return {
    url: url.replace(/\/+$/, ''),
    token,
    tenant: env.PROVD_TENANT || stored.tenant || null,
    phoneUrl: env.PROVD_PHONE_URL || stored.phoneUrl || null,
  };
}

export function tenantOf(session: Session): string {
  if (!session.tenant)
    throw new CliError('no tenant: a platform token needs `provd login --tenant <slug>` (or PROVD_TENANT)');
  return session.tenant;
}
