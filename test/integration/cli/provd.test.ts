import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importHandlers } from '#src/modules/contacts/import/import-job.js';
import { startWorkers } from '#src/queues/worker-host.js';
import { createToken, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { eventually } from '../../helpers/eventually.js';
import { relayCapturedChanges, seedDevice, sql, startNotifyWorkers } from '../notify/support.js';
import { startPhoneProcess, type PhoneProcess } from '../phone-server/support.js';

/**
 * The real `provd` binary (bin/provd.mjs, as `npm install` links it) against the real admin API
 * and phone server listening on ports, with render, notify and import workers running.
 */
interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let ctx: TestContext;
let tenant: SeededTenant;
let phone: PhoneProcess;
let running: ReturnType<typeof startNotifyWorkers>;
let importWorkers: Worker[];
let adminUrl: string;
let phoneUrl: string;
const home = mkdtempSync(join(tmpdir(), 'provd-cli-'));

function provd(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/provd.mjs', ...args],
      { env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), ...env }, timeout: 120_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  ctx = await createTestContext({ PROVD_IMPORT_INLINE_BYTES: '100', PROVD_DATA_DIR: join(home, 'data') });
  tenant = await seedTenant(ctx, 'cli');
  await ctx.admin.listen({ host: '127.0.0.1', port: 0 });
  adminUrl = `http://127.0.0.1:${(ctx.admin.server.address() as AddressInfo).port}`;
  phone = await startPhoneProcess(ctx);
  await phone.app.listen({ host: '127.0.0.1', port: 0 });
  phoneUrl = `http://127.0.0.1:${(phone.app.server.address() as AddressInfo).port}`;
  running = startNotifyWorkers(ctx);
  importWorkers = startWorkers(
    { import: importHandlers(ctx.deps) },
    { connection: ctx.deps.workerRedis, prefix: ctx.config.queuePrefix, concurrency: 1, logger: ctx.deps.logger },
  );
});
afterAll(async () => {
  await Promise.all((importWorkers ?? []).map((worker) => worker.close()));
  await running?.close();
  await phone?.close();
  await ctx?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('provd', () => {
  it('refuses a wrong token at login with the API error, and stores a good one readable by its owner only', async () => {
    const bad = await provd(['login', '--url', adminUrl, '--token', 'x'.repeat(40)]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('provd: 401 unauthorized: missing or invalid credentials');
    expect(bad.stderr).not.toMatch(/\n\s+at /);

    const good = await provd(['login', '--url', adminUrl, '--token', tenant.tokens.admin, '--phone-url', phoneUrl]);
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/Signed in to .* \(admin, tenant cli\)/);
    const file = join(home, 'config', 'provd', 'config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ url: adminUrl, tenant: 'cli', phoneUrl });
  });

  it('takes PROVD_URL and PROVD_TOKEN from the environment instead of a stored sign-in', async () => {
    const platform = await createToken(ctx, 'platform', null);
    const run = await provd(['devices', 'list'], {
      XDG_CONFIG_HOME: join(home, 'nowhere'),
      PROVD_URL: adminUrl,
      PROVD_TOKEN: platform,
      PROVD_TENANT: 'cli',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^MAC\s+VENDOR\s+SYNC STATE/);
    const none = await provd(['devices', 'list'], { XDG_CONFIG_HOME: join(home, 'nowhere') });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/not signed in/);
  });

  it('lists devices with their sync state as a table, searched by MAC part and filtered by state', async () => {
    const a = await seedDevice(ctx, tenant.tenant.id, {});
    const b = await seedDevice(ctx, tenant.tenant.id, { lastSeenIp: '192.0.2.7' });
    const all = await provd(['devices', 'list']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(new RegExp(`${a.mac}\\s+yealink\\s+never-seen`));
    expect(all.stdout).toMatch(new RegExp(`${b.mac}\\s+yealink\\s+pending`));
    const searched = await provd(['devices', 'list', '--search', a.mac.slice(-4).toUpperCase()]);
    expect(searched.stdout).toContain(a.mac);
    expect(searched.stdout).not.toContain(b.mac);
    const pending = await provd(['devices', 'list', '--sync-state', 'pending']);
    expect(pending.stdout).toContain(b.mac);
    expect(pending.stdout).not.toContain(a.mac);
  });

  it('resyncs a device and waits with a progress bar until the phone fetched its new files', async () => {
    const device = await seedDevice(ctx, tenant.tenant.id, {});
    // No relay worker runs here: relay the raw-SQL seeds, or their outbox rows keep the tenant pending.
    await relayCapturedChanges(ctx);
    const waiting = provd(['resync', 'device', device.id, '--wait', '--interval', '100']);
    // The resync re-renders the device; then the phone (provd fetch, as the phone) fetches it.
    await eventually(
      () =>
        sql<{ ok: boolean }>(
          ctx,
          `select rendered_gen >= desired_gen and exists (select 1 from artifacts a where a.target_id = t.id) as ok from render_targets t where target_key = ?`,
          [`device:${device.id}`],
        ),
      (rows) => rows[0]?.ok === true,
    );
    const fetched = await provd(['fetch', device.mac, '--vendor', 'yealink', '--secret', 'secret-for-tests-only']);
    expect(fetched.stderr).toBe('');
    expect(fetched.code).toBe(0);
    expect(fetched.stdout).toMatch(new RegExp(`^200\\s+${device.mac}\\.cfg\\s+\\d+`, 'm'));
    expect(fetched.stdout).toContain(`User-Agent: Yealink SIP-T46S`);
    const done = await waiting;
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/resync accepted: job resync-/);
    expect(done.stdout).toMatch(/1 of 1 device\(s\) in sync/);
    expect(done.stderr).toMatch(/\[#+\] 1\/1 in sync/);
  });

  it('fetches as the phone: a wrong secret is refused by the phone server and named in the exit code', async () => {
    const device = await seedDevice(ctx, tenant.tenant.id, {});
    const run = await provd([
      'fetch',
      device.mac,
      '--vendor',
      'yealink',
      '--secret',
      'wrong-secret',
      '--file',
      `${device.mac}.cfg`,
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^401\\s+${device.mac}\\.cfg`, 'm'));
    expect(run.stderr).toMatch(/1 of 1 file\(s\) not served/);
  });

  it('imports contacts and follows a queued import to its end', async () => {
    const file = join(home, 'contacts.csv');
    writeFileSync(
      file,
      [
        'first_name,last_name,work',
        ...Array.from({ length: 20 }, (_, i) => `Ada${i},Lovelace,+4930${2000100 + i}`),
      ].join('\n') + '\n',
    );
    const run = await provd(['import', 'contacts', file, '--follow', '--interval', '100']);
    expect(run.stderr).not.toMatch(/provd:/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/import queued: [0-9a-f-]{36}/);
    expect(run.stdout).toMatch(/done: 20 rows read, 20 created/);
    const [count] = await sql<{ n: number }>(ctx, `select count(*)::int as n from contacts where tenant_id = ?`, [
      tenant.tenant.id,
    ]);
    expect(count!.n).toBe(20);
  });

  it('creates the first platform operator once, printing its password, and refuses the same email again', async () => {
    const env = { PROVD_DATABASE_URL: ctx.config.databaseUrl! };
    const first = await provd(['create-operator', '--email', 'Ops@Example.com'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const password = /Password \(shown once[^)]*\): (\S+)/.exec(first.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const [user] = await sql<{ role: string; tenant_id: string | null; password_hash: string }>(
      ctx,
      `select role, tenant_id, password_hash from console_users where email = 'ops@example.com'`,
    );
    expect(user).toMatchObject({ role: 'platform', tenant_id: null });
    expect(user!.password_hash).not.toContain(password!);
    const again = await provd(['create-operator', '--email', 'ops@example.com'], env);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe('provd: email_taken: a console user with this email already exists');
    expect(again.stdout).toBe('');
  });
});
