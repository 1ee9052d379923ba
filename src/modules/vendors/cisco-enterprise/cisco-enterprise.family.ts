import type { VendorFamilyDefinition } from '../family.types.js';
import { CISCO_ENTERPRISE_FILES } from './cisco-enterprise.files.js';
import { CISCO_ENTERPRISE_MODELS } from './cisco-enterprise.models.js';
import { ciscoEnterpriseDeviceViews } from './cisco-enterprise.view.js';

export const CISCO_ENTERPRISE: VendorFamilyDefinition<'cisco-enterprise'> = {
  id: 'cisco-enterprise',
  models: CISCO_ENTERPRISE_MODELS,
  files: CISCO_ENTERPRISE_FILES,
  views: { device: ciscoEnterpriseDeviceViews, common: () => [] },
};
