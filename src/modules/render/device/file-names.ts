import { lookupModel, type ModelCatalogue } from './models.js';
import { RenderError, type VendorFamily } from './render.types.js';

/*
 * File names exactly as phones request them (see the render ↔ phone-server naming contract):
 * the MAC's case follows the vendor, names carry no folder and only [A-Za-z0-9._-]. Each family's
 * names are in src/modules/vendors/<family>/<family>.files.ts; these are the checks they share.
 */

const CANONICAL_MAC = /^[0-9a-f]{12}$/;
const SAFE_NAME = /^[A-Za-z0-9._-]+$/;

export function assertCanonicalMac(mac: string): void {
  if (!CANONICAL_MAC.test(mac)) throw new RenderError('MAC must be 12 lowercase hex digits (canonical form)');
}

/** The canonical model id, for families that put it into a file name; refuses ids that cannot be one. */
export function modelIdForName(vendor: VendorFamily, catalogue: ModelCatalogue, model: string): string {
  const { id } = lookupModel(catalogue, model);
  if (id === '' || !SAFE_NAME.test(id)) throw new RenderError(`model "${model}" cannot be part of a file name`, vendor);
  return id;
}

/** The names of one family's files. `mac` is canonical (checked by the caller). */
export interface FamilyFileNames {
  /**
   * The shapes of the per-device names the family's phones request, the MAC (any case) in the
   * first group. The phone server routes a request by them before it knows which device asks.
   */
  requested: readonly RegExp[];
  /**
   * A per-device name the phone reads its contact directory from instead of a phonebook URL (Poly
   * UC Software): answered with the tenant's internal directory in the family's phonebook format.
   */
  directory?: RegExp;
  /** Per-device file names; the first one is the main profile. */
  device(mac: string, model: string): string[];
  /** Common (per-model, MAC-less, secret-free) file names; empty when the family has none. */
  common(model: string): string[];
}
