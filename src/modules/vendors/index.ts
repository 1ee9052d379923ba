import { assertCanonicalMac } from '../render/device/file-names.js';
import { lookupModel, type ModelInfo } from '../render/device/models.js';
import { VENDOR_REGISTRY } from './registry.js';
import type { VendorFamily } from '../../model/directory/vendor-family.js';

/*
 * Per-family questions asked by id, answered from the registry (for consumers that hold a
 * vendor id, not a family definition).
 */

export { VENDOR_REGISTRY } from './registry.js';
export type { VendorFamilyDefinition } from './family.types.js';
export { VENDOR_FAMILIES, isVendorFamily, type VendorFamily } from '../../model/directory/vendor-family.js';

/**
 * Reduces the many spellings a model arrives in (User-Agent, admin input) to the table key:
 * `SIP-T46S` → T46S, `VVX_450` → VVX450, `CP-8841-3PCC`/`8841` → CP-8841, `snomD785` → D785,
 * `N870 IP PRO` → N870.
 */
export function canonicalModelId(vendor: VendorFamily, model: string): string {
  return VENDOR_REGISTRY[vendor].models.canonicalId(model);
}

/** Canonical ids of the models the table knows, e.g. to map a requested common file name back to its model. */
export function knownModelIds(vendor: VendorFamily): string[] {
  return Object.keys(VENDOR_REGISTRY[vendor].models.table);
}

export function modelInfo(vendor: VendorFamily, model: string): ModelInfo {
  return lookupModel(VENDOR_REGISTRY[vendor].models, model);
}

/** Per-device file names; the first one is the main profile. */
export function deviceFileNames(vendor: VendorFamily, mac: string, model: string): string[] {
  assertCanonicalMac(mac);
  return VENDOR_REGISTRY[vendor].files.device(mac, model);
}

/** Common (per-model, MAC-less, secret-free) file names; empty when the vendor has none. */
export function commonFileNames(vendor: VendorFamily, model: string): string[] {
  return VENDOR_REGISTRY[vendor].files.common(model);
}
