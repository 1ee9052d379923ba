import type { Command } from 'commander';
import { AdminApi } from '../api.js';
import { CliError, storeSession } from '../session.js';

interface WhoAmI {
  tokenName: string;
  role: string;
  tenant: { id: string; slug: string } | null;
}

/** `provd login`: checks the token against the server (GET /whoami) before storing it. */
export function loginCommand(program: Command): void {
  program
    .command('login')
    .description(
      'Check a token against the admin API and remember it (in $XDG_CONFIG_HOME/provd/config.json, mode 0600)',
    )
    .requiredOption('--url <url>', 'admin API base URL, e.g. http://127.0.0.1:3000')
    .requiredOption('--token <token>', 'API token (tenant owner/admin/viewer, or the platform token)')
    .option('--tenant <slug>', 'tenant to act in (needed with the platform token)')
    .option('--phone-url <url>', 'phone server base URL for `provd fetch` (default: the admin host on port 8080)')
    .action(async (options: { url: string; token: string; tenant?: string; phoneUrl?: string }) => {
      const url = options.url.replace(/\/+$/, '');
      const me = await new AdminApi({ url, token: options.token }).get<WhoAmI>('/whoami');
      if (me.tenant && options.tenant && options.tenant !== me.tenant.slug)
        throw new CliError(`this token belongs to tenant ${me.tenant.slug}, not ${options.tenant}`);
      const tenant = me.tenant?.slug ?? options.tenant ?? null;
      const path = storeSession({ url, token: options.token, tenant, phoneUrl: options.phoneUrl ?? null });
      console.log(
        `Signed in to ${url} as "${me.tokenName}" (${me.role}${tenant ? `, tenant ${tenant}` : ''}). Saved to ${path}.`,
      );
    });
}
