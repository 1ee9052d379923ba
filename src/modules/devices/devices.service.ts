import type { Hidden } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadRequestError, ConflictError } from '../../errors/errors.js';
import { Profile } from '../../model/directory/profile.entity.js';
import { checkSettings } from '../settings/settings.checks.js';
import { findInTenant, referenceInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { generateProvisioningSecret } from './device-secret.js';
import { assertLineIndexFits, replaceLines, resolveLines } from './device-lines.js';
import { DeviceLine } from '../../model/directory/device-line.entity.js';
import { Device } from '../../model/directory/device.entity.js';
import type { CreateDeviceInput, UpdateDeviceInput } from './devices.schemas.js';
import { parseMac } from './mac.js';

/** The canonical MAC, or a 400 whose code says what is wrong with it. */
export function requireMac(input: string): string {
  const result = parseMac(input);
  if (!result.ok) {
    const reason = {
      mac_invalid: 'is not a MAC address',
      mac_multicast: 'is a multicast (group) address',
      mac_zero: 'is all zeros',
      mac_broadcast: 'is the broadcast address',
    };
    throw new BadRequestError(result.problem, `the MAC ${reason[result.problem]}`, { field: 'mac' });
  }
  return result.mac;
}

const MAC_TAKEN = () =>
  new ConflictError('mac_taken', 'a device with this MAC is already registered', { field: 'mac' });

/**
 * A MAC is unique across the platform. The answer is the same whichever tenant holds it, and
 * names no tenant, so a tenant cannot probe another tenant's inventory.
 */
export async function assertMacFree(em: EntityManager, mac: string, selfId?: string): Promise<void> {
  const holder = await em
    .getConnection()
    .execute<{ id: string }[]>('select id from devices where mac = ? limit 1', [mac]);
  if (holder[0] && holder[0].id !== selfId) throw MAC_TAKEN();
}

/** A concurrent insert of the same MAC loses at the unique index; it gets the same answer. */
async function flushMapping(em: EntityManager): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    if ((error as { constraint?: unknown }).constraint === 'devices_mac_unique') throw MAC_TAKEN();
    throw error;
  }
}

export interface CreatedDevice {
  device: Device;
  /** Plaintext, to show once. */
  secret: string;
}

export async function createDevice(
  em: EntityManager,
  tenant: Tenant,
  input: CreateDeviceInput,
): Promise<CreatedDevice> {
  const mac = requireMac(input.mac);
  return em.transactional(async (tx) => {
    await assertMacFree(tx, mac);
    const profile = input.profileId ? await referenceInTenant(tx, Profile, tenant, input.profileId, 'profile') : null;
    const overrides = checkSettings(input.overrides ?? {}, 'overrides');
    const lines = await resolveLines(tx, tenant, input.vendor, input.model, input.lines ?? []);
    const secret = generateProvisioningSecret();
    const device = tx.create(Device, {
      tenant,
      mac,
      vendor: input.vendor,
      model: input.model ?? null,
      status: input.status ?? 'active',
      profile,
      overrides,
      provisioningSecret: secret as Hidden<string>,
    });
    await replaceLines(tx, tenant, device, lines);
    await flushMapping(tx);
    return { device, secret };
  });
}

export async function updateDevice(
  em: EntityManager,
  tenant: Tenant,
  id: string,
  patch: UpdateDeviceInput,
): Promise<Device> {
  return em.transactional(async (tx) => {
    const device = await findInTenant(tx, Device, tenant, id, 'device');
    if (patch.mac !== undefined) {
      const mac = requireMac(patch.mac);
      if (mac !== device.mac) await assertMacFree(tx, mac, device.id);
      device.mac = mac;
    }
    if (patch.vendor !== undefined || patch.model !== undefined) {
      const vendor = patch.vendor ?? device.vendor;
      const model = patch.model === undefined ? device.model : patch.model;
      const highest = await tx.findOne(DeviceLine, { device }, { orderBy: { index: 'desc' }, fields: ['index'] });
      if (highest) assertLineIndexFits(highest.index, vendor, model);
      device.vendor = vendor;
      device.model = model ?? null;
    }
    if (patch.status !== undefined) device.status = patch.status;
    if (patch.profileId !== undefined)
      device.profile = patch.profileId
        ? await referenceInTenant(tx, Profile, tenant, patch.profileId, 'profile')
        : null;
    if (patch.overrides !== undefined) device.overrides = checkSettings(patch.overrides, 'overrides');
    await flushMapping(tx);
    return device;
  });
}

/** Replaces the device's whole line set; nothing is written when any line is refused. */
export async function replaceDeviceLines(
  em: EntityManager,
  tenant: Tenant,
  id: string,
  inputs: CreateDeviceInput['lines'] & object,
): Promise<Device> {
  return em.transactional(async (tx) => {
    const device = await findInTenant(tx, Device, tenant, id, 'device');
    const lines = await resolveLines(tx, tenant, device.vendor, device.model, inputs);
    await replaceLines(tx, tenant, device, lines);
    await tx.flush();
    return device;
  });
}

export async function rotateDeviceSecret(em: EntityManager, tenant: Tenant, id: string): Promise<CreatedDevice> {
  const device = await findInTenant(em, Device, tenant, id, 'device');
  const secret = generateProvisioningSecret();
  device.provisioningSecret = secret as Hidden<string>;
  await em.flush();
  return { device, secret };
}

export async function deleteDevice(em: EntityManager, tenant: Tenant, id: string): Promise<void> {
  await em.transactional(async (tx) => {
    const device = await findInTenant(tx, Device, tenant, id, 'device');
    for (const line of await tx.find(DeviceLine, { device })) tx.remove(line);
    await tx.flush();
    tx.remove(device);
    await tx.flush();
  });
}
