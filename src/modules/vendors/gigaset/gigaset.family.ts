import type { VendorFamilyDefinition } from '../family.types.js';
import { GIGASET_FILES } from './gigaset.files.js';
import { GIGASET_MODELS } from './gigaset.models.js';
import { gigasetDeviceViews } from './gigaset.view.js';
import { matchGigaset } from './gigaset.user-agent.js';

export const GIGASET: VendorFamilyDefinition<'gigaset'> = {
  id: 'gigaset',
  models: GIGASET_MODELS,
  files: GIGASET_FILES,
  views: { device: gigasetDeviceViews, common: () => [] },
  userAgent: {
    match: matchGigaset,
    example: (macs, model) => `Gigaset ${model ?? 'N870 IP PRO'}/83.V2.65.0+build.a546b91;${macs.upper}`,
  },
  phonebookFormat: 'gigaset',
  // Gigaset "SIP: Check-sync message".
  resync: { event: 'check-sync;reboot=false', rebootEvent: { event: 'check-sync;reboot=true' } },
};
