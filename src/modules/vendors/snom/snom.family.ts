import type { VendorFamilyDefinition } from '../family.types.js';
import { SNOM_FILES } from './snom.files.js';
import { SNOM_MODELS } from './snom.models.js';
import { snomCommonViews, snomDeviceViews } from './snom.view.js';
import { matchSnom } from './snom.user-agent.js';

export const SNOM: VendorFamilyDefinition<'snom'> = {
  id: 'snom',
  models: SNOM_MODELS,
  files: SNOM_FILES,
  views: { device: snomDeviceViews, common: snomCommonViews },
  userAgent: {
    match: matchSnom,
    anywhere: true,
    example: (macs, model) =>
      `Mozilla/4.0 (compatible; snom${model ?? 'D785'}-SIP 10.1.33.33 2010.12-00003-gd311851 (Mar 29 2021) ${macs.upper} SIP/2.0)`,
  },
  // dkey_directory opens the URL in the minibrowser; `snom` (tbook) is a settings document.
  phonebookFormat: 'snom-directory',
  // Snom documentation and Asterisk pjsip_notify.conf (snom).
  resync: { event: 'check-sync;reboot=false', rebootEvent: { event: 'check-sync;reboot=true' } },
};
