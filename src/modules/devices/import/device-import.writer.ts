import type { Hidden } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError } from '../../../errors/errors.js';
import { Account } from '../../../model/directory/account.entity.js';
import { PhoneMapGroup } from '../../../model/directory/phonemap-group.entity.js';
import { Profile } from '../../../model/directory/profile.entity.js';
import { checkSettings } from '../../settings/settings.checks.js';
import { Tenant } from '../../../model/directory/tenant.entity.js';
import { generateProvisioningSecret } from '../device-secret.js';
import { DeviceLine } from '../../../model/directory/device-line.entity.js';
import { Device } from '../../../model/directory/device.entity.js';
import type { CreateDeviceInput } from '../devices.schemas.js';

/** Rows per flush of an atomic import. */
export const ATOMIC_CHUNK = 250;

export interface CreatedDeviceRow {
  deviceId: string;
  secret: string;
}

/**
 * Atomic import: every row in one transaction, written in chunks — one flush per chunk (the ORM
 * batches the inserts and the audit entries) and the unit of work emptied after it, so time and
 * memory grow linearly with the file (one growing unit of work, flushed per row, made it
 * quadratic). The rows were checked completely beforehand (planRow: MAC free, profile, accounts
 * and PhoneMap groups of this tenant, line numbers), so references are taken by id; whatever the
 * database still refuses (a MAC registered meanwhile, an account deleted meanwhile) fails the
 * transaction and nothing is written.
 */
export async function createDevicesAtomically(
  em: EntityManager,
  tenantId: string,
  inputs: CreateDeviceInput[],
): Promise<CreatedDeviceRow[]> {
  return em.transactional(async (tx) => {
    const phonemapIds = await phonemapGroupIds(tx, tenantId, inputs);
    const created: CreatedDeviceRow[] = [];
    for (let start = 0; start < inputs.length; start += ATOMIC_CHUNK) {
      const tenant = tx.getReference(Tenant, tenantId);
      for (const input of inputs.slice(start, start + ATOMIC_CHUNK)) {
        const secret = generateProvisioningSecret();
        const device = tx.create(Device, {
          tenant,
          mac: input.mac,
          vendor: input.vendor,
          model: input.model ?? null,
          status: input.status ?? 'active',
          profile: input.profileId ? tx.getReference(Profile, input.profileId) : null,
          overrides: checkSettings(input.overrides ?? {}, 'overrides'),
          provisioningSecret: secret as Hidden<string>,
        });
        for (const line of input.lines ?? []) {
          tx.create(DeviceLine, {
            tenant,
            device,
            index: line.index,
            account: line.accountId ? tx.getReference(Account, line.accountId) : null,
            phonemapGroup: line.phonemapGroupId
              ? tx.getReference(PhoneMapGroup, phonemapIds.get(line.phonemapGroupId)!)
              : null,
            label: line.label ?? null,
          });
        }
        created.push({ deviceId: device.id, secret });
      }
      await flushChunk(tx);
      tx.clear();
    }
    return created;
  });
}

/** PhoneMap groups are named by token in a file; planning found each one in this tenant. */
async function phonemapGroupIds(
  tx: EntityManager,
  tenantId: string,
  inputs: CreateDeviceInput[],
): Promise<Map<string, string>> {
  const tokens = [
    ...new Set(
      inputs.flatMap((input) =>
        (input.lines ?? []).map((line) => line.phonemapGroupId).filter((token): token is string => Boolean(token)),
      ),
    ),
  ];
  if (tokens.length === 0) return new Map();
  const rows = await tx
    .getConnection()
    .execute<{ id: string; token: string }[]>(
      'select id, token from phonemap_groups where tenant_id = ? and token in (?)',
      [tenantId, tokens],
    );
  return new Map(rows.map((row) => [row.token, row.id]));
}

/** A MAC registered by a concurrent request loses at the unique index: the answer createDevice gives. */
async function flushChunk(tx: EntityManager): Promise<void> {
  try {
    await tx.flush();
  } catch (error) {
    if ((error as { constraint?: unknown }).constraint === 'devices_mac_unique') {
      throw new ConflictError('mac_taken', 'a device with this MAC is already registered', { field: 'mac' });
    }
    throw error;
  }
}
