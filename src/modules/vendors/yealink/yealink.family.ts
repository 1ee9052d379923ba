import type { VendorFamilyDefinition } from '../family.types.js';
import { YEALINK_FILES } from './yealink.files.js';
import { YEALINK_MODELS } from './yealink.models.js';
import { yealinkCommonViews, yealinkDeviceViews } from './yealink.view.js';
import { matchYealink } from './yealink.user-agent.js';

export const YEALINK: VendorFamilyDefinition<'yealink'> = {
  id: 'yealink',
  models: YEALINK_MODELS,
  files: YEALINK_FILES,
  views: { device: yealinkDeviceViews, common: yealinkCommonViews },
  userAgent: {
    match: matchYealink,
    example: (macs, model) => `Yealink SIP-${model ?? 'T46S'} 66.86.0.15 ${macs.colons}`,
  },
  phonebookFormat: 'yealink',
  // Yealink admin guide: a plain check-sync reboots when sip.notify_reboot_enable = 1 (its default);
  // with 0 only `reboot=true` reboots.
  resync: { event: 'check-sync', rebootEvent: { event: 'check-sync;reboot=true' } },
};
