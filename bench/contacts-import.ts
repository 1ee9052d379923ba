/**
 * Benchmark (not a test): import 100,000 contacts from a ~50 MB CSV through the real path —
 * admin API upload (streamed, spooled to disk) and the contacts.import job — on a throw-away
 * Postgres and Redis. Prints wall time and the process's peak RSS; targets: < 60 s, < 512 MB.
 * Run: npx tsx bench/contacts-import.ts [rows]
 */
import { createWriteStream, createReadStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { buildAdminApp } from '../src/app/admin-app.js';
import { closeDeps, createDeps } from '../src/app/deps.js';
import { loadConfig } from '../src/config/config.js';
import { migrateUp } from '../src/db/orm.js';
import { createLogger } from '../src/logger/logger.js';
import { runImportJob } from '../src/modules/contacts/import/import-job.js';
import { ApiToken } from '../src/modules/auth/api-token.entity.js';
import { generateToken, hashToken, tokenDisplayPrefix } from '../src/modules/auth/token.js';
import { Tenant } from '../src/modules/tenants/tenant.entity.js';
import { freePort } from '../scripts/stack/ports.js';
import { startLocalRedis } from '../scripts/stack/redis.js';
import { withScratchDatabase } from '../scripts/stack/scratch-db.js';

const ROWS = Number(process.argv[2] ?? 100_000);
const workDir = resolve('.data', `bench-contacts-${process.pid}`);
mkdirSync(workDir, { recursive: true });

/** An Outlook-style export: the columns we read plus address and notes columns we ignore (~500 bytes a row). */
async function writeCsv(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path);
  const write = async (line: string) => {
    if (!out.write(line + '\r\n')) await once(out, 'drain');
  };
  await write('First Name,Last Name,Company,Job Title,E-mail Address,Business Phone,Mobile Phone,Home Phone,Business Fax,Other Phone,Business Street,Business City,Business Postal Code,Notes');
  const notes = 'Met at the trade fair; prefers calls in the morning; speaks German, English and French. '.repeat(3);
  for (let i = 0; i < rows; i++) {
    const n = String(1_000_000 + i);
    await write([
      `Given${i}`, `Family${i % 20_000}`, `"Company ${i % 3000}, Holding & Partners GmbH"`, 'Head of Procurement and Logistics',
      `given${i}.family@company${i % 3000}.example.com`, `+4930${n}`, `+49171${n}`, `+4940${n}`, `+4989${n}`, String(100 + (i % 9000)),
      `"Musterstraße ${i % 200}"`, 'Berlin', '10115', `"${notes}"`,
    ].join(','));
  }
  out.end();
  await once(out, 'finish');
  return statSync(path).size;
}

const redis = await startLocalRedis({ dataDir: join(workDir, 'redis'), port: await freePort(), appendOnly: false });
try {
  await withScratchDatabase(async (databaseUrl) => {
    const config = loadConfig({ PROVD_DATABASE_URL: databaseUrl, PROVD_REDIS_URL: redis.url, PROVD_LOG_LEVEL: 'warn', PROVD_DATA_DIR: workDir });
    const deps = await createDeps(config, createLogger('warn', 'bench'), 'bench');
    try {
      await migrateUp(deps.orm);
      const em = deps.orm.em.fork();
      const tenant = em.create(Tenant, { slug: 'bench', name: 'Bench', defaultCountry: 'DE' });
      const token = generateToken();
      em.create(ApiToken, { tenant, role: 'owner', name: 'bench', tokenHash: hashToken(token), prefix: tokenDisplayPrefix(token) });
      await em.flush();
      const admin = await buildAdminApp(deps);
      await admin.ready();

      const file = join(workDir, 'contacts.csv');
      const bytes = await writeCsv(file, ROWS);
      const started = process.hrtime.bigint();
      const response = await admin.inject({
        method: 'POST',
        url: '/api/v1/tenants/bench/contacts/import?format=csv',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'content-length': String(bytes) },
        payload: createReadStream(file),
      });
      if (response.statusCode !== 202) throw new Error(`upload answered ${response.statusCode}: ${response.body}`);
      const importId = (response.json() as { id: string }).id;
      const uploaded = process.hrtime.bigint();
      await runImportJob(deps, importId);
      const finished = process.hrtime.bigint();
      const view = (await admin.inject({ method: 'GET', url: `/api/v1/tenants/bench/contacts/imports/${importId}`, headers: { authorization: `Bearer ${token}` } })).json() as Record<string, unknown>;
      const seconds = (a: bigint, b: bigint) => Number(b - a) / 1e9;
      const result = {
        rows: ROWS,
        fileMB: +(bytes / 1024 / 1024).toFixed(1),
        uploadSeconds: +seconds(started, uploaded).toFixed(2),
        importSeconds: +seconds(uploaded, finished).toFixed(2),
        totalSeconds: +seconds(started, finished).toFixed(2),
        peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
        status: view.status,
        created: view.created,
        failed: view.failed,
      };
      console.log(JSON.stringify(result, null, 2));
      console.log(`target: < 60 s (${result.totalSeconds < 60 ? 'met' : 'MISSED'}), < 512 MB peak RSS (${result.peakRssMB < 512 ? 'met' : 'MISSED'})`);
      await admin.close();
    } finally {
      await closeDeps(deps);
    }
  });
} finally {
  await redis.stop();
  rmSync(workDir, { recursive: true, force: true });
}
