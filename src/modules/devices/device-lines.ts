import type { EntityManager } from '@mikro-orm/postgresql';
import { BadRequestError } from '../../errors/errors.js';
import { Account } from '../../model/directory/account.entity.js';
import { PhoneMapGroup } from '../../model/directory/phonemap-group.entity.js';
import { modelInfo } from '../vendors/index.js';
import { referenceInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { DeviceLine } from '../../model/directory/device-line.entity.js';
import type { Device, DeviceVendor } from '../../model/directory/device.entity.js';
import type { LineInputType } from './devices.schemas.js';

export interface ResolvedLine {
  index: number;
  account: Account | null;
  phonemapGroup: PhoneMapGroup | null;
  label: string | null;
}

/** How many lines the model holds (the renderer's model table; unknown models get the vendor default). */
export function maxLines(vendor: DeviceVendor, model: string | null | undefined): number {
  return modelInfo(vendor, model ?? '').lines;
}

export function assertLineIndexFits(index: number, vendor: DeviceVendor, model: string | null | undefined): void {
  const max = maxLines(vendor, model);
  if (index > max) {
    throw new BadRequestError(
      'line_index_out_of_range',
      `line ${index} does not exist on this model: it has lines 1 to ${max}`,
      { index, max, vendor, model: model ?? null },
    );
  }
}

/**
 * Checks a set of lines and resolves their bindings to rows of the tenant. Everything is checked
 * before anything is written: a foreign or unknown account or PhoneMap group is a 400.
 */
export async function resolveLines(
  em: EntityManager,
  tenant: Tenant,
  vendor: DeviceVendor,
  model: string | null | undefined,
  inputs: LineInputType[],
): Promise<ResolvedLine[]> {
  const seen = new Set<number>();
  const resolved: ResolvedLine[] = [];
  for (const input of [...inputs].sort((a, b) => a.index - b.index)) {
    if (seen.has(input.index))
      throw new BadRequestError('line_index_duplicate', `line ${input.index} is given twice`, { index: input.index });
    seen.add(input.index);
    assertLineIndexFits(input.index, vendor, model);
    if (input.accountId && input.phonemapGroupId) {
      throw new BadRequestError(
        'line_binding_ambiguous',
        `line ${input.index} is bound to an account or a PhoneMap group, not both`,
        { index: input.index },
      );
    }
    const account = input.accountId ? await referenceInTenant(em, Account, tenant, input.accountId, 'account') : null;
    let phonemapGroup: PhoneMapGroup | null = null;
    if (input.phonemapGroupId) {
      phonemapGroup = await em.findOne(PhoneMapGroup, { tenant, token: input.phonemapGroupId });
      if (!phonemapGroup) {
        throw new BadRequestError(
          'unknown_reference',
          `PhoneMap group ${input.phonemapGroupId} does not exist in this tenant`,
          { field: 'PhoneMap group', id: input.phonemapGroupId },
        );
      }
    }
    resolved.push({ index: input.index, account, phonemapGroup, label: input.label ?? null });
  }
  return resolved;
}

/**
 * Makes the device's lines exactly `lines`: existing line rows are updated in place by index (so a
 * replace never deletes and re-inserts the same index), missing ones created, the rest removed.
 * The caller flushes.
 */
export async function replaceLines(
  em: EntityManager,
  tenant: Tenant,
  device: Device,
  lines: ResolvedLine[],
): Promise<void> {
  const existing = new Map((await em.find(DeviceLine, { device })).map((line) => [line.index, line]));
  for (const line of lines) {
    const row = existing.get(line.index);
    if (row) {
      row.account = line.account;
      row.phonemapGroup = line.phonemapGroup;
      row.label = line.label;
      existing.delete(line.index);
    } else {
      em.create(DeviceLine, {
        tenant,
        device,
        index: line.index,
        account: line.account,
        phonemapGroup: line.phonemapGroup,
        label: line.label,
      });
    }
  }
  for (const stale of existing.values()) em.remove(stale);
}
