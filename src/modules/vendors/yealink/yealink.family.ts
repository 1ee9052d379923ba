import type { VendorFamilyDefinition } from '../family.types.js';
import { YEALINK_FILES } from './yealink.files.js';
import { YEALINK_MODELS } from './yealink.models.js';
import { yealinkCommonViews, yealinkDeviceViews } from './yealink.view.js';

export const YEALINK: VendorFamilyDefinition<'yealink'> = {
  id: 'yealink',
  models: YEALINK_MODELS,
  files: YEALINK_FILES,
  views: { device: yealinkDeviceViews, common: yealinkCommonViews },
};
