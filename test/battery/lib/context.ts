import type pg from 'pg';
import { ScriptedAmiPeer } from '../../unit/notify/peers/scripted-ami-peer.js';
import { AdminClient, ErrorBodies } from './admin.js';
import { Canaries } from './canaries.js';
import { waitConverged } from './oracle.js';
import { contactsCsv, platformClient, seedTenant, type SeededTenant } from './seed.js';
import { openDb, startStack, type BatteryStack } from './stack.js';

/** How big each scenario is. `sizesFor(1)` is the battery; the reduced one runs in `npm test`. */
export interface BatterySizes {
  contacts: number;
  devices: number;
  workerKills: number;
  redisRestarts: number;
  redisFlushes: number;
  postgresRestarts: number;
  sigtermRenders: number;
  macs: number;
  spreadSources: number;
  /** Upper bound for any one wait for convergence (generous: a loaded 2-core box is slow, never wrong). */
  convergeMs: number;
}

export function sizesFor(scale: number): BatterySizes {
  const n = (value: number, min = 1) => Math.max(min, Math.round(value * scale));
  return {
    contacts: n(10_000, 100),
    devices: n(500, 8),
    workerKills: n(50),
    redisRestarts: n(20),
    redisFlushes: 1,
    postgresRestarts: n(10),
    sigtermRenders: n(200, 10),
    macs: n(100_000, 100),
    spreadSources: n(1000, 4),
    convergeMs: Math.max(240_000, 600_000 * scale),
  };
}

export const REDUCED_SIZES: BatterySizes = {
  contacts: 1000,
  devices: 24,
  workerKills: 3,
  redisRestarts: 2,
  redisFlushes: 1,
  postgresRestarts: 1,
  sigtermRenders: 30,
  macs: 2000,
  spreadSources: 40,
  convergeMs: 240_000,
};

/** Tenant A's extra resources, so every route of the OpenAPI document has one of A's ids to aim at. */
export interface TenantExtras {
  /** Contacts the API write streams rename. */
  contactIds: string[];
  /** A contact of its own small phonebook: renaming it and seeing the book re-rendered is the "changes flow again" probe. */
  probe: { contactId: string; bookToken: string };
  importId: string;
  jobId: string;
}

export interface BatteryContext {
  stack: BatteryStack;
  db: pg.Pool;
  sizes: BatterySizes;
  errors: ErrorBodies;
  canaries: Canaries;
  platform: AdminClient;
  ami: ScriptedAmiPeer;
  a: SeededTenant;
  b: SeededTenant;
  c: SeededTenant;
  extras: TenantExtras;
  log: (message: string) => void;
}

export async function createContext(
  name: string,
  sizes: BatterySizes,
  log: (message: string) => void,
): Promise<BatteryContext> {
  const ami = new ScriptedAmiPeer(Canaries.make('Ami'));
  await ami.start();
  const stack = await startStack({
    name,
    env: { PROVD_JOB_LOCK_MS: '10000', PROVD_NOTIFY_SYNC_TIMEOUT_MS: '2000', PROVD_NOTIFY_RETRY_BACKOFF_MS: '1000' },
  }).catch(async (error) => {
    await ami.stop();
    throw error;
  });
  log(`stack up: api ${stack.adminUrl}, phone ${stack.phoneUrl}, data ${stack.dir}`);
  const errors = new ErrorBodies();
  const canaries = new Canaries();
  canaries.add('platform-token', stack.platformToken);
  canaries.add('ami-secret', ami.acceptSecret);
  const platform = platformClient(stack.adminUrl, stack.platformToken, errors);
  const db = await openDb(stack);
  try {
    const suffix = Date.now().toString(36);
    const a = await seedTenant(platform, canaries, {
      slug: `bat-a-${suffix}`,
      accounts: sizes.devices,
      devices: sizes.devices,
      lines: true,
    });
    const b = await seedTenant(platform, canaries, { slug: `bat-b-${suffix}`, accounts: 4, devices: 8, lines: true });
    const c = await seedTenant(platform, canaries, {
      slug: `bat-c-${suffix}`,
      accounts: 1,
      devices: sizes.sigtermRenders,
      lines: false,
    });
    const extras = await seedExtras(a, canaries);
    await a.owner.ok('PUT', `/api/v1/tenants/${a.slug}/notifier`, {
      driver: 'asterisk-ami',
      ratePerSecond: 200,
      ami: { host: '127.0.0.1', port: ami.port, username: 'provd', secret: ami.acceptSecret },
    });
    log(`seeded tenants ${a.slug} (${a.devices.length} devices), ${b.slug}, ${c.slug}; ${canaries.size} canaries`);
    const ms = await waitConverged(db, sizes.convergeMs);
    log(`initial renders converged in ${ms} ms`);
    return { stack, db, sizes, errors, canaries, platform, ami, a, b, c, extras, log };
  } catch (error) {
    await db.end();
    await stack.stop();
    await ami.stop();
    throw error;
  }
}

async function seedExtras(a: SeededTenant, canaries: Canaries): Promise<TenantExtras> {
  const base = `/api/v1/tenants/${a.slug}`;
  const api = a.owner;
  const cos = await api.ok<{ id: string }>('POST', `${base}/classes-of-service`, {
    name: 'National',
    level: 'national',
  });
  await api.ok('POST', `${base}/phonemap-groups`, { id: 'night', name: 'Night line', classOfServiceId: cos.id });
  await api.ok('POST', `${base}/phonemap-groups/night/members`, { accountId: a.accounts[0]!.id });
  await api.ok('POST', `${base}/hunt-groups`, {
    name: 'Support <hunt>',
    extension: '7000',
    memberAccountIds: [a.accounts[0]!.id],
  });
  await api.ok('POST', `${base}/auto-attendants`, {
    name: 'Main menu',
    extension: '7001',
    options: [{ digit: '1', accountId: a.accounts[0]!.id }],
  });
  const numbers = await api.ok<{ created?: { id: string }[]; items?: { id: string }[] } | { id: string }[]>(
    'POST',
    `${base}/numbers`,
    { numbers: ['+4930555000', '+4930555001'] },
  );
  const numberIds = (Array.isArray(numbers) ? numbers : (numbers.created ?? numbers.items ?? [])).map((n) => n.id);
  if (numberIds[0]) await api.ok('POST', `${base}/groups/${a.groupId}/shared-numbers`, { numberId: numberIds[0] });
  if (numberIds[1])
    await api.ok('POST', `${base}/numbers/${numberIds[1]}/assign`, { accountId: a.accounts[0]!.id, role: 'primary' });
  await api.ok('POST', `${base}/phonebooks`, { name: 'Sales book', visibility: 'groups', groupIds: [a.groupId] });
  // An extra (non-home) member of A's main group, so the group-member routes have one to aim at.
  const other = await api.ok<{ id: string }>('POST', `${base}/groups`, { name: 'Night desk' });
  const extra = await api.ok<{ id: string }>('POST', `${base}/accounts`, {
    groupId: other.id,
    extension: '7200',
    displayName: 'Extra member',
    sipPassword: canaries.add('sip-password', Canaries.make('Sip')),
  });
  await api.ok('POST', `${base}/groups/${a.groupId}/members`, { accountId: extra.id });
  const contactIds: string[] = [];
  for (let i = 0; i < 12; i++) {
    const contact = await api.ok<{ id: string }>('POST', `${base}/contacts`, {
      firstName: `Edit${i}`,
      lastName: `Start ${i}`,
      numbers: [{ type: 'work', number: `+4940${String(5550000 + i)}` }],
    });
    contactIds.push(contact.id);
  }
  const probeBook = await api.ok<{ id: string; token: string }>('POST', `${base}/phonebooks`, {
    name: 'Probe book',
    visibility: 'all',
  });
  const probeContact = await api.ok<{ id: string }>('POST', `${base}/contacts`, {
    firstName: 'Probe',
    lastName: 'Start',
    numbers: [{ type: 'work', number: '+4940555999' }],
    phonebookIds: [probeBook.id],
  });
  const imported = await api.ok<{ id: string }>(
    'POST',
    `${base}/contacts/import?format=csv`,
    contactsCsv(400, 'Seed', 900_000),
  );
  const job = await api.ok<{ jobId: string }>('POST', `${base}/devices/${a.devices[0]!.id}/resync`, { reboot: false });
  return {
    contactIds,
    probe: { contactId: probeContact.id, bookToken: probeBook.token },
    importId: imported.id,
    jobId: job.jobId,
  };
}

export async function closeContext(context: BatteryContext): Promise<void> {
  await context.db.end().catch(() => undefined);
  await context.stack.stop();
  await context.ami.stop();
}
