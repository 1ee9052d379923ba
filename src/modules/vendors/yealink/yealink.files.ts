import type { FamilyFileNames } from '../../render/device/file-names.js';
import { lookupModel } from '../../render/device/models.js';
import { YEALINK_MODELS } from './yealink.models.js';

/** `<mac>.cfg` per device; the common file is named after the model's hardware id, `y0000000000XX.cfg`. */
export const YEALINK_FILES: FamilyFileNames = {
  requested: [/^([0-9a-f]{12})\.cfg$/i],
  device: (mac) => [`${mac}.cfg`],
  common(model) {
    const { hardwareId } = lookupModel(YEALINK_MODELS, model);
    return hardwareId === undefined ? [] : [`y${String(hardwareId).padStart(12, '0')}.cfg`];
  },
};
