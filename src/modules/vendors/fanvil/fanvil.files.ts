import { modelIdForName, type FamilyFileNames } from '../../render/device/file-names.js';
import { FANVIL_MODELS } from './fanvil.models.js';

/** `<mac>.cfg` per device, `<model>.cfg` per model. */
export const FANVIL_FILES: FamilyFileNames = {
  requested: [/^([0-9a-f]{12})\.cfg$/i],
  device: (mac) => [`${mac}.cfg`],
  common: (model) => [`${modelIdForName('fanvil', FANVIL_MODELS, model)}.cfg`],
};
