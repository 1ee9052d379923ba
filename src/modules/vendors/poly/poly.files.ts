import type { FamilyFileNames } from '../../render/device/file-names.js';

/** Master file `<mac>.cfg` naming `<mac>-phone.cfg`; the common master is `000000000000.cfg`. */
export const POLY_FILES: FamilyFileNames = {
  device: (mac) => [`${mac}.cfg`, `${mac}-phone.cfg`],
  common: () => ['000000000000.cfg'],
};
