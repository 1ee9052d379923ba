import type { VendorFamilyDefinition } from '../family.types.js';
import { GRANDSTREAM_FILES } from './grandstream.files.js';
import { GRANDSTREAM_MODELS } from './grandstream.models.js';
import { grandstreamCommonViews, grandstreamDeviceViews } from './grandstream.view.js';
import { matchGrandstream } from './grandstream.user-agent.js';

export const GRANDSTREAM: VendorFamilyDefinition<'grandstream'> = {
  id: 'grandstream',
  models: GRANDSTREAM_MODELS,
  files: GRANDSTREAM_FILES,
  views: { device: grandstreamDeviceViews, common: grandstreamCommonViews },
  userAgent: {
    match: matchGrandstream,
    example: (macs, model) => `Grandstream Model HW ${model ?? 'GXP2170'} V1.2A SW 1.0.11.79 DevId ${macs.lower}`,
  },
  phonebookFormat: 'grandstream',
  // Some Grandstream deployments use `resync`; override per profile where needed.
  resync: { event: 'check-sync', rebootEvent: { event: 'check-sync;reboot=true' } },
};
