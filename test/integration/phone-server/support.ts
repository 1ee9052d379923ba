import { createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildPhoneApp } from '#src/app/phone-app.js';
import { closeDeps, createDeps, type Deps } from '#src/app/deps.js';
import { createLogger } from '#src/logger/logger.js';
import { parseAuthParams } from '#src/modules/phone/digest-params.js';
import { PhoneServer } from '#src/modules/phone/server/phone-server.js';
import { sqlFromOrm, type Sql } from '#src/modules/phone/server/sql.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { seedTenant, type ApiClient } from '../../helpers/api.js';

export interface PhoneProcess {
  deps: Deps;
  server: PhoneServer;
  app: FastifyInstance;
  close: () => Promise<void>;
}

/** Fast timers so coherence and batching are observable within a test. */
export const FAST = { reconcileMs: 150, flushMs: 100, banRefreshMs: 100, verifyEveryRounds: 3 };

/**
 * One serving process: its own Deps (ORM pool, Redis connections) on the shared database and
 * Redis prefix, a started PhoneServer and the phone app on top, as src/main.ts wires them.
 */
export async function startPhoneProcess(ctx: TestContext, name = 'phone', options = FAST): Promise<PhoneProcess> {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      ctx.logs.push(String(chunk));
      done();
    },
  });
  const deps = await createDeps(ctx.config, createLogger(ctx.config.logLevel, name, sink), name);
  const server = new PhoneServer(deps, options);
  const app = await buildPhoneApp(deps, { server });
  await app.ready();
  await server.start();
  return {
    deps,
    server,
    app,
    close: async () => {
      await app.close();
      await server.stop();
      await closeDeps(deps);
    },
  };
}

export interface PhoneFixture {
  ctx: TestContext;
  sql: Sql;
  tenantId: string;
  tenantSlug: string;
  /** Admin API client of the tenant (for data the phone server only reads). */
  admin: ApiClient;
  /** Owner API client of the tenant (for owner-only writes such as contact grants). */
  owner: ApiClient;
  close: () => Promise<void>;
}

export async function phoneFixture(env: Record<string, string> = {}): Promise<PhoneFixture> {
  const ctx = await createTestContext({ PROVD_PUBLIC_PHONE_URL: 'http://prov.example.test', ...env });
  const slug = `acme${randomBytes(3).toString('hex')}`;
  const seeded = await seedTenant(ctx, slug);
  return {
    ctx,
    sql: sqlFromOrm(ctx.deps.orm),
    tenantId: seeded.tenant.id,
    tenantSlug: slug,
    admin: seeded.admin,
    owner: seeded.owner,
    close: () => ctx.close(),
  };
}

export interface SeededDevice {
  id: string;
  mac: string;
  secret: string;
  targetId: string;
}

export async function seedDevice(
  fixture: PhoneFixture,
  fields: { mac: string; vendor: string; model?: string; status?: string; secret?: string; tenantId?: string },
): Promise<SeededDevice> {
  const secret = fields.secret ?? `canary-secret-${randomBytes(8).toString('hex')}`;
  const tenantId = fields.tenantId ?? fixture.tenantId;
  const [device] = await fixture.sql<{ id: string }>(
    `insert into devices (id, tenant_id, mac, vendor, model, status, overrides, provisioning_secret, created_at, updated_at)
     values (gen_random_uuid(), ?, ?, ?, ?, ?, '{}'::jsonb, ?, now(), now()) returning id::text as id`,
    [tenantId, fields.mac, fields.vendor, fields.model ?? null, fields.status ?? 'active', secret],
  );
  const [target] = await fixture.sql<{ id: string }>(
    `insert into render_targets (target_key, tenant_id, kind, ref_id, desired_gen, rendered_gen, state, updated_at)
     values (?, ?, 'device', ?, 1, 1, 'ok', now()) returning id::text as id`,
    [`device:${device!.id}`, tenantId, device!.id],
  );
  return { id: device!.id, mac: fields.mac, secret, targetId: target!.id };
}

export function sha256(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Stores (or replaces) an artifact the way the render worker does. */
export async function putArtifact(
  fixture: PhoneFixture,
  targetId: string,
  servePath: string,
  body: Buffer | string,
  contentType = 'text/plain; charset=utf-8',
  carriesSecrets = true,
): Promise<string> {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const hash = sha256(bytes);
  await fixture.sql(
    `insert into artifacts (target_id, serve_path, content_type, body, sha256, generation, carries_secrets, updated_at)
     values (?, ?, ?, ?, ?, 1, ?, now())
     on conflict (serve_path) do update set target_id = excluded.target_id, content_type = excluded.content_type, body = excluded.body,
       sha256 = excluded.sha256, generation = artifacts.generation + 1, carries_secrets = excluded.carries_secrets, updated_at = now()`,
    [targetId, servePath, contentType, bytes, hash, carriesSecrets],
  );
  return hash;
}

/** Client side of RFC 7616 Digest (qop=auth) for the challenge of a 401. */
export function digestAuthorization(
  challengeHeader: string | string[] | undefined,
  fields: {
    username: string;
    secret: string;
    method?: string;
    uri: string;
    algorithm?: 'MD5' | 'SHA-256';
    nc?: string;
  },
): string {
  const algorithm = fields.algorithm ?? 'MD5';
  const challenges = (Array.isArray(challengeHeader) ? challengeHeader : [challengeHeader ?? '']).map(
    (value) => parseAuthParams(value)?.params,
  );
  const params = challenges.find((candidate) => (candidate?.get('algorithm') ?? 'MD5') === algorithm);
  if (!params) throw new Error(`no ${algorithm} digest challenge`);
  const hash = (text: string) =>
    createHash(algorithm === 'MD5' ? 'md5' : 'sha256')
      .update(text)
      .digest('hex');
  const realm = params.get('realm')!;
  const nonce = params.get('nonce')!;
  const nc = fields.nc ?? '00000001';
  const cnonce = randomBytes(8).toString('hex');
  const method = fields.method ?? 'GET';
  const response = hash(
    `${hash(`${fields.username}:${realm}:${fields.secret}`)}:${nonce}:${nc}:${cnonce}:auth:${hash(`${method}:${fields.uri}`)}`,
  );
  return `Digest username="${fields.username}", realm="${realm}", nonce="${nonce}", uri="${fields.uri}", algorithm=${algorithm}, qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}"`;
}

export interface FetchOptions {
  ip?: string;
  userAgent?: string;
  headers?: Record<string, string>;
  method?: 'GET' | 'HEAD';
}

/** GET without credentials, then again with Digest answering the challenge, as a phone does. */
export async function fetchWithDigest(
  app: FastifyInstance,
  url: string,
  credentials: { username: string; secret: string },
  options: FetchOptions = {},
): Promise<LightMyRequestResponse> {
  const base: InjectOptions = {
    method: options.method ?? 'GET',
    url,
    remoteAddress: options.ip ?? '192.0.2.10',
    headers: { ...(options.userAgent ? { 'user-agent': options.userAgent } : {}), ...options.headers },
  };
  const first = await app.inject(base);
  if (first.statusCode !== 401) return first;
  const authorization = digestAuthorization(first.headers['www-authenticate'], {
    ...credentials,
    uri: url,
    method: options.method ?? 'GET',
  });
  return app.inject({ ...base, headers: { ...base.headers, authorization } });
}

/** Status, headers and body with the per-challenge nonce masked, for "identical answer" checks. */
export function answerShape(response: LightMyRequestResponse): string {
  const headers = { ...response.headers };
  delete headers.date;
  const text = JSON.stringify({ status: response.statusCode, headers, body: response.body });
  return text.replace(/nonce=\\"[A-Za-z0-9_-]+\\"/g, 'nonce="…"');
}
