import type { VendorFamilyDefinition } from '../family.types.js';
import { FANVIL_FILES } from './fanvil.files.js';
import { FANVIL_MODELS } from './fanvil.models.js';
import { fanvilCommonViews, fanvilDeviceViews } from './fanvil.view.js';
import { matchFanvil } from './fanvil.user-agent.js';

export const FANVIL: VendorFamilyDefinition<'fanvil'> = {
  id: 'fanvil',
  models: FANVIL_MODELS,
  files: FANVIL_FILES,
  views: { device: fanvilDeviceViews, common: fanvilCommonViews },
  userAgent: {
    match: matchFanvil,
    example: (macs, model) => `Fanvil ${model ?? 'X4U'} 2.12.1 ${macs.lower}`,
  },
  phonebookFormat: 'fanvil',
  resync: { event: 'check-sync', rebootEvent: { event: 'check-sync;reboot=true' } },
};
