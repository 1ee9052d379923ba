import type { EntityManager } from '@mikro-orm/postgresql';
import { Account } from '#src/model/directory/account.entity.js';
import { DeviceLine } from '#src/model/directory/device-line.entity.js';
import { Device } from '#src/model/directory/device.entity.js';
import { Tenant } from '#src/model/directory/tenant.entity.js';
import type { TestContext } from './context.js';

let macCounter = 0x100000;

/** A device with line 1 bound to the account, stored directly (device routes are another feature's). */
export async function seedDeviceWithLine(
  ctx: TestContext,
  tenantId: string,
  accountId: string,
): Promise<{ deviceId: string; lineId: string }> {
  const em = ctx.deps.orm.em.fork() as EntityManager;
  macCounter += 1;
  const device = em.create(Device, {
    tenant: em.getReference(Tenant, tenantId),
    mac: `0015aa${macCounter.toString(16).padStart(6, '0')}`,
    vendor: 'yealink',
    provisioningSecret: 'device-secret-for-tests-only',
  });
  const line = em.create(DeviceLine, {
    tenant: em.getReference(Tenant, tenantId),
    device,
    index: 1,
    account: em.getReference(Account, accountId),
  });
  await em.flush();
  return { deviceId: device.id, lineId: line.id };
}

export async function lineAccount(ctx: TestContext, lineId: string): Promise<string | null> {
  const rows = await ctx.deps.orm.em
    .fork()
    .getConnection()
    .execute<{ account_id: string | null }[]>('select account_id from device_lines where id = ?', [lineId]);
  return rows[0]!.account_id;
}
