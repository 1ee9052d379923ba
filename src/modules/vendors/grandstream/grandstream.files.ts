import type { FamilyFileNames } from '../../render/device/file-names.js';

/** `cfg<mac>.xml` per device, `cfg.xml` for every model. */
export const GRANDSTREAM_FILES: FamilyFileNames = {
  requested: [/^cfg([0-9a-f]{12})\.xml$/i],
  device: (mac) => [`cfg${mac}.xml`],
  common: () => ['cfg.xml'],
};
