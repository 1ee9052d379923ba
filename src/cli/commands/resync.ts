import type { Command } from 'commander';
import { AdminApi } from '../api.js';
import { ProgressBar, sleep } from '../output.js';
import { CliError, currentSession, tenantOf } from '../session.js';
import type { SyncItem } from './devices.js';

interface Accepted {
  jobId: string;
  replayed: boolean;
  notifier?: string;
  warnings?: { code: string; message: string }[];
}

interface Job {
  state: string;
  progress: { total?: number; processed?: number } | null;
  failedReason: string | null;
}

const SCOPES = ['device', 'group', 'tenant'] as const;
type Scope = (typeof SCOPES)[number];
/** States a device will not leave without the phone itself acting: waiting on them would never end. */
const SETTLED = new Set(['in-sync', 'stale', 'render-failed']);

interface Options {
  wait?: boolean;
  reboot?: boolean;
  timeout: string;
  interval: string;
}

/** `provd resync device|group|tenant <id>`: POST the resync, then (--wait) follow the job and the devices' sync state. */
export function resyncCommand(program: Command): void {
  program
    .command('resync')
    .description('Tell phones to fetch their files again; with --wait, follow until they are in sync')
    .argument('<scope>', SCOPES.join(' | '))
    .argument('[id]', 'device or group id (none for tenant)')
    .option('--wait', 'wait with a progress bar until every device is in sync')
    .option('--reboot', "send the vendor's reboot variant")
    .option('--timeout <seconds>', 'give up waiting after this long', '600')
    .option('--interval <ms>', 'poll interval', '1000')
    .action(async (scope: string, id: string | undefined, options: Options) => {
      if (!(SCOPES as readonly string[]).includes(scope))
        throw new CliError(`scope must be one of ${SCOPES.join(', ')}`, 2);
      if (scope !== 'tenant' && !id) throw new CliError(`resync ${scope} needs the ${scope} id`, 2);
      const session = currentSession();
      const api = new AdminApi(session);
      const tenant = tenantOf(session);
      const path = scope === 'tenant' ? `/tenants/${tenant}/resync` : `/tenants/${tenant}/${scope}s/${id}/resync`;
      const accepted = (await api.call<Accepted>(path, { method: 'POST', json: { reboot: options.reboot === true } }))
        .body;
      console.log(`resync accepted: job ${accepted.jobId}${accepted.replayed ? ' (replayed)' : ''}`);
      for (const warning of accepted.warnings ?? []) console.error(`warning: ${warning.message} (${warning.code})`);
      if (!options.wait) return;
      const deadline = Date.now() + Number(options.timeout) * 1000;
      const interval = Math.max(50, Number(options.interval));
      await followJob(api, accepted.jobId, deadline, interval);
      const ids = await targetDevices(api, tenant, scope as Scope, id);
      await followSync(api, tenant, scope as Scope, ids, deadline, interval);
    });
}

async function followJob(api: AdminApi, jobId: string, deadline: number, interval: number): Promise<void> {
  const bar = new ProgressBar();
  for (;;) {
    const job = await api.get<Job>(`/jobs/${jobId}`);
    bar.update(job.progress?.processed ?? 0, job.progress?.total ?? 0, `devices handled (job ${job.state})`);
    if (job.state === 'completed') break;
    if (job.state === 'failed') throw new CliError(`resync job failed: ${job.failedReason ?? 'no reason given'}`);
    if (Date.now() > deadline) throw new CliError('timed out waiting for the resync job');
    await sleep(interval);
  }
  bar.finish();
}

/** The devices the resync reaches: one device, a group's devices, or null for the whole tenant. */
async function targetDevices(
  api: AdminApi,
  tenant: string,
  scope: Scope,
  id: string | undefined,
): Promise<Set<string> | null> {
  if (scope === 'device') return new Set([id!]);
  if (scope === 'tenant') return null;
  const devices = await api.all<{ id: string }>(`/tenants/${tenant}/devices`, { group: id });
  return new Set(devices.map((device) => device.id));
}

async function followSync(
  api: AdminApi,
  tenant: string,
  scope: Scope,
  ids: Set<string> | null,
  deadline: number,
  interval: number,
): Promise<void> {
  const bar = new ProgressBar();
  for (;;) {
    const all = await api.all<SyncItem>(`/tenants/${tenant}/devices/sync`);
    const items = all.filter((item) => ids === null || ids.has(item.deviceId));
    // A never-seen device has no phone fetching yet: a group or tenant resync does not wait for it.
    const waited = scope === 'device' ? items : items.filter((item) => item.state !== 'never-seen');
    const inSync = waited.filter((item) => item.state === 'in-sync').length;
    bar.update(inSync, waited.length, 'in sync');
    if (waited.every((item) => SETTLED.has(item.state))) {
      bar.finish();
      const skipped = items.length - waited.length;
      const problems = waited.filter((item) => item.state !== 'in-sync');
      for (const item of problems)
        console.error(
          `${item.mac}: ${item.state}${item.renderError || item.staleReason ? ` (${item.renderError ?? item.staleReason})` : ''}`,
        );
      console.log(
        `${inSync} of ${waited.length} device(s) in sync${skipped ? `; ${skipped} never seen, not waited for` : ''}`,
      );
      if (problems.length) throw new CliError(`${problems.length} device(s) not in sync`);
      return;
    }
    if (Date.now() > deadline) {
      bar.finish();
      throw new CliError(`timed out: ${inSync} of ${waited.length} device(s) in sync`);
    }
    await sleep(interval);
  }
}
