import type { FamilyFileNames } from '../../render/device/file-names.js';

/** `<mac>.xml`; Gigaset bases have no common file. */
export const GIGASET_FILES: FamilyFileNames = {
  requested: [/^([0-9a-f]{12})\.xml$/i],
  device: (mac) => [`${mac}.xml`],
  common: () => [],
};
