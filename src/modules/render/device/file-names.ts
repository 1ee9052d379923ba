import { modelInfo } from './models.js';
import { RenderError, type VendorFamily } from './render.types.js';

/*
 * File names exactly as phones request them (see the render ↔ phone-server naming contract):
 * the MAC's case follows the vendor, names carry no folder and only [A-Za-z0-9._-].
 */

const CANONICAL_MAC = /^[0-9a-f]{12}$/;
const SAFE_NAME = /^[A-Za-z0-9._-]+$/;

export function assertCanonicalMac(mac: string): void {
  if (!CANONICAL_MAC.test(mac)) throw new RenderError('MAC must be 12 lowercase hex digits (canonical form)');
}

function modelIdForName(vendor: VendorFamily, model: string): string {
  const { id } = modelInfo(vendor, model);
  if (id === '' || !SAFE_NAME.test(id)) throw new RenderError(`model "${model}" cannot be part of a file name`, vendor);
  return id;
}

/** Per-device file names; the first one is the main profile. */
export function deviceFileNames(vendor: VendorFamily, mac: string, model: string): string[] {
  assertCanonicalMac(mac);
  const upper = mac.toUpperCase();
  switch (vendor) {
    case 'yealink':
    case 'fanvil':
      return [`${mac}.cfg`];
    case 'poly':
      return [`${mac}.cfg`, `${mac}-phone.cfg`];
    case 'cisco-mpp':
    case 'gigaset':
      return [`${mac}.xml`];
    case 'cisco-enterprise':
      return [`SEP${upper}.cnf.xml`];
    case 'grandstream':
      return [`cfg${mac}.xml`];
    case 'snom':
      return [`snom${modelIdForName(vendor, model)}-${upper}.htm`];
  }
}

/** Common (per-model, MAC-less, secret-free) file names; empty when the vendor has none. */
export function commonFileNames(vendor: VendorFamily, model: string): string[] {
  switch (vendor) {
    case 'yealink': {
      const { hardwareId } = modelInfo(vendor, model);
      return hardwareId === undefined ? [] : [`y${String(hardwareId).padStart(12, '0')}.cfg`];
    }
    case 'poly':
      return ['000000000000.cfg'];
    case 'cisco-mpp':
      return [`${modelIdForName(vendor, model)}-3PCC.xml`];
    case 'grandstream':
      return ['cfg.xml'];
    case 'snom':
      return [`snom${modelIdForName(vendor, model)}.htm`];
    case 'fanvil':
      return [`${modelIdForName(vendor, model)}.cfg`];
    case 'cisco-enterprise':
    case 'gigaset':
      return [];
  }
}
