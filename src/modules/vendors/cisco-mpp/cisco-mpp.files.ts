import { modelIdForName, type FamilyFileNames } from '../../render/device/file-names.js';
import { CISCO_MPP_MODELS } from './cisco-mpp.models.js';

/** `<mac>.xml` per device, `CP-<model>-3PCC.xml` per model. */
export const CISCO_MPP_FILES: FamilyFileNames = {
  requested: [
    // `$MA` in the profile rule.
    /^([0-9a-f]{12})\.xml$/i,
  ],
  device: (mac) => [`${mac}.xml`],
  common: (model) => [`${modelIdForName('cisco-mpp', CISCO_MPP_MODELS, model)}-3PCC.xml`],
};
