import type { Command } from 'commander';
import { AdminApi } from '../api.js';
import { table } from '../output.js';
import { currentSession, tenantOf } from '../session.js';

const STATES = ['never-seen', 'pending', 'notified', 'in-sync', 'stale', 'render-failed'];

export interface SyncItem {
  deviceId: string;
  mac: string;
  vendor: string;
  state: string;
  lastFetchedAt: string | null;
  lastOutcome: string | null;
  staleReason: string | null;
  renderError?: string | null;
}

/** `provd devices list`: the tenant's devices with their sync state, from GET /devices/sync. */
export function devicesCommand(program: Command): void {
  const devices = program.command('devices').description('Devices of the tenant');
  devices
    .command('list')
    .description('List devices with their sync state as a table')
    .option('--search <mac>', 'part of the MAC, any separators')
    .option('--sync-state <state>', `only devices in this state (${STATES.join(', ')})`)
    .option('--limit <n>', 'most rows', '50')
    .option('--offset <n>', 'rows to skip', '0')
    .option('--json', 'print the JSON page instead of a table')
    .action(async (options: { search?: string; syncState?: string; limit: string; offset: string; json?: boolean }) => {
      const session = currentSession();
      const api = new AdminApi(session);
      const page = await api.get<{ items: SyncItem[]; total: number; offset: number }>(
        `/tenants/${tenantOf(session)}/devices/sync`,
        {
          mac: options.search,
          state: options.syncState,
          limit: options.limit,
          offset: options.offset,
        },
      );
      if (options.json) {
        console.log(JSON.stringify(page, null, 2));
        return;
      }
      const rows = page.items.map((item) => [
        item.mac,
        item.vendor,
        item.state,
        item.lastFetchedAt ?? '-',
        item.renderError ?? item.staleReason ?? item.lastOutcome ?? '',
        item.deviceId,
      ]);
      console.log(table(['MAC', 'VENDOR', 'SYNC STATE', 'LAST FETCH', 'DETAIL', 'ID'], rows));
      console.log(`${page.items.length} of ${page.total} device(s)${page.offset ? ` from ${page.offset}` : ''}`);
    });
}
