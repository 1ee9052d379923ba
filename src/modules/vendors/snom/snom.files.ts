import { modelIdForName, type FamilyFileNames } from '../../render/device/file-names.js';
import { SNOM_MODELS } from './snom.models.js';

/** `snom<model>-<MAC>.htm` per device (upper-case MAC), `snom<model>.htm` per model. */
export const SNOM_FILES: FamilyFileNames = {
  requested: [/^snom[A-Za-z0-9]{1,16}-([0-9a-f]{12})\.htm$/i],
  device: (mac, model) => [`snom${modelIdForName('snom', SNOM_MODELS, model)}-${mac.toUpperCase()}.htm`],
  common: (model) => [`snom${modelIdForName('snom', SNOM_MODELS, model)}.htm`],
};
