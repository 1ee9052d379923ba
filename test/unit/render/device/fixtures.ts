import type { DeviceRenderInput, VendorFamily } from '#src/modules/render/device/index.js';
import { VENDOR_REGISTRY } from '#src/modules/vendors/registry.js';

/** Every character a config format could choke on, as listed in the issue. */
export const SPECIAL = `& < > " ' ( ) ;`;

export const MODELS: Record<VendorFamily, string> = {
  yealink: 'T46S',
  poly: 'VVX450',
  'cisco-mpp': 'CP-8841',
  'cisco-enterprise': '7961',
  grandstream: 'GXP2170',
  snom: 'D785',
  fanvil: 'X4U',
  gigaset: 'N870',
};

/**
 * The golden fixture: two lines over TLS (line 2 stands for a PhoneMap-bound line, already
 * resolved to the active member's account by the pipeline), special characters in names and
 * passwords, and Unicode (accents, CJK, emoji, RTL mark).
 */
export function goldenInput(vendor: VendorFamily): DeviceRenderInput {
  // The family's own phonebook format, as the renderer's callers pick it (the golden files pin the URL).
  const format = VENDOR_REGISTRY[vendor].phonebookFormat;
  return {
    vendor,
    model: MODELS[vendor],
    mac: '0015659a1b2c',
    settings: {
      timeZone: 'Europe/Berlin',
      ntpServer: 'pool.ntp.org',
      language: 'de',
      sipServer: 'sip.example.net',
      sipPort: 5061,
      sipTransport: 'tls',
      provisioningUrl: 'https://prov.example.net/p/',
      firmwareUrl: `https://fw.example.net/${vendor}/${MODELS[vendor]}-1.2.3.bin`,
      adminPassword: `Adm1n${SPECIAL}`,
      phonebookRefreshSeconds: 7200,
      dialPlan: { name: 'national', allowInternational: false, allowNational: true },
    },
    lines: [
      {
        index: 1,
        label: `Zoë ${SPECIAL}`,
        displayName: `Zoë "Z" O'Neil (Büro); & <Empfang>`,
        username: '1001',
        authName: '1001',
        password: `p1${SPECIAL}`,
        enabled: true,
      },
      {
        index: 2,
        label: '客服 😀',
        displayName: '\u200Fמוקד\u200F 中文 😀 Ünïcödé',
        username: '1002',
        authName: 'auth-1002',
        password: `pw2;'"<>&()ü`,
        enabled: true,
      },
    ],
    phonebooks: [
      { name: `Firma ${SPECIAL}`, url: `https://prov.example.net/pb/tok123/${format}.xml` },
      { name: 'Intern', url: `https://prov.example.net/pb/tok456/${format}.xml` },
    ],
    rawKeys: {},
  };
}
