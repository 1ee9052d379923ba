import { createHash } from 'node:crypto';
import type { Command } from 'commander';
import { AdminApi } from '../api.js';
import { fetchAsPhone, phoneUserAgent } from '../phone-client.js';
import { table } from '../output.js';
import { CliError, currentSession, readStoredSession, tenantOf, type Session } from '../session.js';
import { VENDOR_FAMILIES } from '../../model/directory/vendor-family.js';

interface Options {
  vendor: string;
  secret?: string;
  file?: string[];
  phoneUrl?: string;
  model?: string;
  print?: boolean;
}

/**
 * `provd fetch <mac> --vendor <family>`: asks the phone server for the device's files exactly as
 * the phone would (its User-Agent, Digest with the device secret), and shows what came back.
 * Without --file the names come from the admin API (GET /devices/:id/files, admins only).
 */
export function fetchCommand(program: Command): void {
  program
    .command('fetch')
    .description("Fetch a phone's files from the phone server as the phone would (its User-Agent and credentials)")
    .argument('<mac>', 'the device MAC, any separators')
    .requiredOption('--vendor <family>', VENDOR_FAMILIES.join(', '))
    .option(
      '--secret <secret>',
      'the device provisioning secret (or PROVD_DEVICE_SECRET); none: ask without credentials',
    )
    .option('--file <name...>', 'file name(s) to fetch (default: every file the admin API lists for the device)')
    .option(
      '--phone-url <url>',
      'phone server base URL (default: from login, PROVD_PHONE_URL, or the admin host on port 8080)',
    )
    .option('--model <model>', 'model to put in the User-Agent')
    .option('--print', 'write the bodies to stdout')
    .action(async (macArgument: string, options: Options) => {
      if (!(VENDOR_FAMILIES as readonly string[]).includes(options.vendor))
        throw new CliError(`--vendor must be one of ${VENDOR_FAMILIES.join(', ')}`, 2);
      const mac = macArgument.replace(/[:.\- ]/g, '').toLowerCase();
      if (!/^[0-9a-f]{12}$/.test(mac)) throw new CliError(`not a MAC address: ${macArgument}`, 2);
      const secret = options.secret ?? process.env.PROVD_DEVICE_SECRET;
      const session = options.file && options.phoneUrl ? null : currentSessionOrNull();
      const phoneUrl = options.phoneUrl ?? session?.phoneUrl ?? defaultPhoneUrl(session);
      const names = options.file ?? (await deviceFileNames(session, mac));
      const userAgent = phoneUserAgent(options.vendor, mac, options.model);
      const rows: string[][] = [];
      let failed = 0;
      for (const name of names) {
        const answer = await fetchAsPhone(
          phoneUrl,
          `/${name}`,
          userAgent,
          secret ? { username: mac, secret } : undefined,
        ).catch((error: Error) => {
          throw new CliError(
            `cannot reach the phone server at ${phoneUrl}: ${(error.cause as Error | undefined)?.message ?? error.message}`,
          );
        });
        if (answer.status !== 200) failed += 1;
        rows.push([
          String(answer.status),
          name,
          String(answer.body.length),
          answer.status === 200 ? createHash('sha256').update(answer.body).digest('hex').slice(0, 16) : '-',
          answer.contentType ?? '-',
        ]);
        if (options.print && answer.status === 200) process.stdout.write(answer.body);
      }
      const summary = table(['STATUS', 'FILE', 'BYTES', 'SHA256', 'CONTENT TYPE'], rows);
      // With --print the bodies own stdout; the table goes to stderr.
      (options.print ? console.error : console.log)(`${summary}\nUser-Agent: ${userAgent}`);
      if (failed) throw new CliError(`${failed} of ${names.length} file(s) not served`);
    });
}

function currentSessionOrNull(): Session | null {
  try {
    return currentSession();
  } catch {
    return null;
  }
}

function defaultPhoneUrl(session: Session | null): string {
  const admin = session?.url ?? readStoredSession().url;
  if (!admin) throw new CliError('no phone server URL: pass --phone-url or sign in with `provd login --phone-url`');
  const url = new URL(admin);
  url.port = '8080';
  return url.origin;
}

async function deviceFileNames(session: Session | null, mac: string): Promise<string[]> {
  if (!session)
    throw new CliError('without --file the file names come from the admin API: sign in first (`provd login`)');
  const api = new AdminApi(session);
  const tenant = tenantOf(session);
  const page = await api.get<{ items: { deviceId: string; mac: string }[] }>(`/tenants/${tenant}/devices/sync`, {
    mac,
    limit: 5,
  });
  const device = page.items.find((item) => item.mac === mac);
  if (!device) throw new CliError(`no device ${mac} in tenant ${tenant}`);
  const files = await api.get<{
    files: { name: string }[];
    render: { state: string; lastError: string | null } | null;
  }>(`/tenants/${tenant}/devices/${device.deviceId}/files`);
  if (files.files.length === 0) {
    const why = files.render?.lastError ? `: render failed: ${files.render.lastError}` : ' yet';
    throw new CliError(`device ${mac} has no rendered files${why}`);
  }
  return files.files.map((file) => file.name);
}
