import type { VendorFamilyDefinition } from './family.types.js';
import type { VendorFamily } from '../../model/directory/vendor-family.js';
import { YEALINK } from './yealink/yealink.family.js';
import { POLY } from './poly/poly.family.js';
import { CISCO_MPP } from './cisco-mpp/cisco-mpp.family.js';
import { CISCO_ENTERPRISE } from './cisco-enterprise/cisco-enterprise.family.js';
import { GRANDSTREAM } from './grandstream/grandstream.family.js';
import { SNOM } from './snom/snom.family.js';
import { FANVIL } from './fanvil/fanvil.family.js';
import { GIGASET } from './gigaset/gigaset.family.js';

/**
 * The one table of vendor families: each entry is assembled in src/modules/vendors/<family>/
 * <family>.family.ts. Every consumer reads a family's parts from here. Keyed by the ids in
 * src/model/directory/vendor-family.ts (the model layer, so entities can use the ids without loading
 * the families' code): a new id without an entry (or an entry without an id) does not compile.
 */
export const VENDOR_REGISTRY: { readonly [F in VendorFamily]: VendorFamilyDefinition<F> } = {
  yealink: YEALINK,
  poly: POLY,
  'cisco-mpp': CISCO_MPP,
  'cisco-enterprise': CISCO_ENTERPRISE,
  grandstream: GRANDSTREAM,
  snom: SNOM,
  fanvil: FANVIL,
  gigaset: GIGASET,
};
