import type { FamilyFileNames } from '../../render/device/file-names.js';

/** `SEP<MAC>.cnf.xml` (upper-case MAC); enterprise firmware has no common file. */
export const CISCO_ENTERPRISE_FILES: FamilyFileNames = {
  device: (mac) => [`SEP${mac.toUpperCase()}.cnf.xml`],
  common: () => [],
};
