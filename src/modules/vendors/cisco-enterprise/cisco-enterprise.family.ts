import type { VendorFamilyDefinition } from '../family.types.js';
import { CISCO_ENTERPRISE_FILES } from './cisco-enterprise.files.js';
import { CISCO_ENTERPRISE_MODELS } from './cisco-enterprise.models.js';
import { ciscoEnterpriseDeviceViews } from './cisco-enterprise.view.js';
import { matchCiscoEnterprise } from './cisco-enterprise.user-agent.js';

export const CISCO_ENTERPRISE: VendorFamilyDefinition<'cisco-enterprise'> = {
  id: 'cisco-enterprise',
  models: CISCO_ENTERPRISE_MODELS,
  files: CISCO_ENTERPRISE_FILES,
  views: { device: ciscoEnterpriseDeviceViews, common: () => [] },
  userAgent: {
    match: matchCiscoEnterprise,
    example: (_macs, model) => `Cisco-${model ?? 'CP8841'}/12.6.1`,
  },
  phonebookFormat: 'cisco',
  // No Cisco document states it: FreeSWITCH mod_sofia (sofia_reg_send_reboot) sends Cisco phones
  // `service-control` with a text/plain body starting `action=restart`, and Asterisk sip_notify
  // recipes use the same event with `action=reset` to reboot.
  resync: {
    event: 'service-control',
    contentType: 'text/plain',
    body: 'action=restart',
    rebootEvent: { event: 'service-control', contentType: 'text/plain', body: 'action=reset' },
  },
};
