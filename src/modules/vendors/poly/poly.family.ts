import type { VendorFamilyDefinition } from '../family.types.js';
import { POLY_FILES } from './poly.files.js';
import { POLY_MODELS } from './poly.models.js';
import { polyCommonViews, polyDeviceViews } from './poly.view.js';
import { matchPoly } from './poly.user-agent.js';

export const POLY: VendorFamilyDefinition<'poly'> = {
  id: 'poly',
  models: POLY_MODELS,
  files: POLY_FILES,
  views: { device: polyDeviceViews, common: polyCommonViews },
  userAgent: {
    match: matchPoly,
    example: (_macs, model) => `FileTransport PolycomVVX-${model ?? 'VVX_450'}-UA/6.4.6.2578 Type/Application`,
  },
  phonebookFormat: 'poly',
  // Asterisk pjsip_notify.conf (polycom). The phone decides itself:
  // voIpProt.SIP.specialEvent.checkSync.alwaysReboot governs the reboot.
  resync: { event: 'check-sync', rebootEvent: { event: 'check-sync;reboot=true' } },
};
