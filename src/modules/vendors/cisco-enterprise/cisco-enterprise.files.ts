import type { FamilyFileNames } from '../../render/device/file-names.js';

/** `SEP<MAC>.cnf.xml` (upper-case MAC); enterprise firmware has no common file. */
export const CISCO_ENTERPRISE_FILES: FamilyFileNames = {
  requested: [/^SEP([0-9a-f]{12})\.cnf\.xml$/i],
  device: (mac) => [`SEP${mac.toUpperCase()}.cnf.xml`],
  common: () => [],
};
