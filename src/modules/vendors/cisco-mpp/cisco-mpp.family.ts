import type { VendorFamilyDefinition } from '../family.types.js';
import { CISCO_MPP_FILES } from './cisco-mpp.files.js';
import { CISCO_MPP_MODELS } from './cisco-mpp.models.js';
import { ciscoMppCommonViews, ciscoMppDeviceViews } from './cisco-mpp.view.js';
import { matchCiscoMpp } from './cisco-mpp.user-agent.js';

export const CISCO_MPP: VendorFamilyDefinition<'cisco-mpp'> = {
  id: 'cisco-mpp',
  models: CISCO_MPP_MODELS,
  files: CISCO_MPP_FILES,
  views: { device: ciscoMppDeviceViews, common: ciscoMppCommonViews },
  userAgent: {
    match: matchCiscoMpp,
    example: (macs, model) => `Cisco-${model ?? 'CP-8841-3PCC'}/12.0.7 (${macs.lower})`,
  },
  phonebookFormat: 'cisco',
  // Asterisk pjsip_notify.conf (sipura `resync`); needs Resync_From_SIP = Yes. SPA/MPP firmware
  // also accepts `reboot`.
  resync: { event: 'resync', rebootEvent: { event: 'reboot' } },
};
