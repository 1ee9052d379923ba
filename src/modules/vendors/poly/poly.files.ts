import type { FamilyFileNames } from '../../render/device/file-names.js';

/**
 * UC Software has no phonebook URL: it reads its contacts only from this name (answered with the
 * shared internal directory).
 */
const DIRECTORY = /^([0-9a-f]{12})-directory\.xml$/i;

/** Master file `<mac>.cfg` naming `<mac>-phone.cfg`; the common master is `000000000000.cfg`. */
export const POLY_FILES: FamilyFileNames = {
  requested: [/^([0-9a-f]{12})\.cfg$/i, /^([0-9a-f]{12})-phone\.cfg$/i, DIRECTORY],
  directory: DIRECTORY,
  device: (mac) => [`${mac}.cfg`, `${mac}-phone.cfg`],
  common: () => ['000000000000.cfg'],
};
