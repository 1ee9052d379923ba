import { modelIdForName, type FamilyFileNames } from '../../render/device/file-names.js';
import { FANVIL_MODELS } from './fanvil.models.js';

/** `<mac>.cfg` per device, `<model>.cfg` per model. */
export const FANVIL_FILES: FamilyFileNames = {
  device: (mac) => [`${mac}.cfg`],
  common: (model) => [`${modelIdForName('fanvil', FANVIL_MODELS, model)}.cfg`],
};
