import { createHash } from 'node:crypto';
import { inPool } from '../lib/admin.js';
import type { BatteryContext } from '../lib/context.js';
import { fetchWithDigest, PhoneClient } from '../lib/phone-client.js';
import type { Recorder } from '../lib/result.js';
import type { SeededDevice } from '../lib/seed.js';

/**
 * For every device B of tenant A and every file of B: B's own credentials must fetch it (the
 * control that makes the rest mean something), device A's secret must not — neither under A's
 * MAC nor under B's — and the exact Authorization header of B's successful fetch, replayed,
 * must not either. Runs from the battery's whitelisted address, so refusals are pure
 * authentication answers, not bans. Fetches also mark the devices as seen (notify targets).
 */
export async function crossDeviceCredentials(context: BatteryContext, record: Recorder): Promise<void> {
  const { stack, db, a, errors } = context;
  const client = new PhoneClient(stack.phoneUrl, '127.0.0.1', errors, 8);
  const devices = a.devices;
  const { rows } = await db.query(
    `select t.ref_id as device_id, a.serve_path, a.sha256 from artifacts a join render_targets t on t.id = a.target_id where t.kind = 'device' and t.tenant_id = $1`,
    [a.id],
  );
  const filesOf = new Map<string, { name: string; sha256: string }[]>();
  for (const row of rows as { device_id: string; serve_path: string; sha256: string }[]) {
    const list = filesOf.get(row.device_id) ?? [];
    list.push({ name: row.serve_path.split('/').pop()!, sha256: row.sha256 });
    filesOf.set(row.device_id, list);
  }
  let own = 0;
  let ownOk = 0;
  let foreign = 0;
  let foreignServed = 0;
  let replays = 0;
  let replaysServed = 0;
  await inPool(devices, 8, async (b: SeededDevice, index) => {
    const other = devices[(index + 1 + Math.floor(Math.random() * (devices.length - 1))) % devices.length]!;
    for (const file of filesOf.get(b.id) ?? []) {
      const path = `/${file.name}`;
      const mine = await fetchWithDigest(client, path, b.mac, b.secret);
      own += 1;
      const bytesMatch = createHash('sha256').update(mine.answer.body).digest('hex') === file.sha256;
      if (mine.answer.status === 200 && bytesMatch) ownOk += 1;
      for (const username of [other.mac, b.mac]) {
        const attempt = await fetchWithDigest(client, path, username, other.secret);
        foreign += 1;
        if (attempt.answer.status < 400) foreignServed += 1;
      }
      if (mine.authorization) {
        const replay = await client.get(path, { authorization: mine.authorization });
        replays += 1;
        if (replay.status < 400) replaysServed += 1;
      }
    }
  });
  client.close();

  record.figure('devices (each tried with another device’s secret)', devices.length);
  record.figure('own-credential fetches served with the stored bytes (control)', `${ownOk} of ${own}`);
  record.figure('foreign-credential attempts', foreign);
  record.figure('replayed Authorization headers', replays);
  record.expect('own credentials fetch own files (control)', ownOk, own, `${ownOk} of ${own}`);
  record.expect('foreign credentials served a file', foreignServed, 0, `${foreignServed} of ${foreign}`);
  record.expect('replayed digest headers served a file', replaysServed, 0, `${replaysServed} of ${replays}`);
}
