import type { FamilyFileNames } from '../../render/device/file-names.js';

/** `<mac>.xml`; Gigaset bases have no common file. */
export const GIGASET_FILES: FamilyFileNames = {
  device: (mac) => [`${mac}.xml`],
  common: () => [],
};
