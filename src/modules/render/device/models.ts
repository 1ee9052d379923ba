import type { VendorFamily } from './render.types.js';

/**
 * Known phone models per vendor family: how many SIP lines (accounts/registrations) a model
 * holds and, for Yealink, the hardware id that names its common file `y0000000000XX.cfg`.
 * Unknown models of a known vendor get the vendor default: enough lines that nothing the admin
 * assigned is dropped (phones ignore account slots they do not have), and no common file.
 */
export interface ModelInfo {
  /** Canonical model id, used in file names (Snom, Cisco MPP, Fanvil common files). */
  id: string;
  lines: number;
  /** Yealink hardware id (the XX of y0000000000XX.cfg). */
  hardwareId?: number;
  known: boolean;
}

type Table = Record<string, { lines: number; hardwareId?: number }>;

/*
 * Yealink. Account counts: Yealink admin guides (account.X ranges per model) and
 * wazo-provd-plugins `_NB_SIP_ACCOUNTS`. Hardware ids: the `y0000000000XX.cfg` names in
 * wazo-provd-plugins yealink v84/v86 entry.py (T4xS 65-68, T5xW 95-97, T4xU 108, T58W 150,
 * CP920 78, T3x 123/124/127, T27G 69) and a public provisioning script's model map for the
 * per-model U-series ids (T42U 116, T43U 107, T48U 109), T52S 74, T54S 70, T58 58, W52P/W56P 25,
 * W60P 77. T41U is left without an id: no two sources agreed on it.
 */
const YEALINK: Table = {
  T27G: { lines: 6, hardwareId: 69 },
  T30: { lines: 1, hardwareId: 127 },
  T30P: { lines: 1, hardwareId: 127 },
  T31: { lines: 2, hardwareId: 123 },
  T31G: { lines: 2, hardwareId: 123 },
  T31P: { lines: 2, hardwareId: 123 },
  T33G: { lines: 4, hardwareId: 124 },
  T33P: { lines: 4, hardwareId: 124 },
  T41S: { lines: 6, hardwareId: 68 },
  T42S: { lines: 12, hardwareId: 67 },
  T46S: { lines: 16, hardwareId: 66 },
  T48S: { lines: 16, hardwareId: 65 },
  T41U: { lines: 6 },
  T42U: { lines: 12, hardwareId: 116 },
  T43U: { lines: 12, hardwareId: 107 },
  T46U: { lines: 16, hardwareId: 108 },
  T48U: { lines: 16, hardwareId: 109 },
  T52S: { lines: 12, hardwareId: 74 },
  T54S: { lines: 16, hardwareId: 70 },
  T53: { lines: 12, hardwareId: 95 },
  T53W: { lines: 12, hardwareId: 95 },
  T54W: { lines: 16, hardwareId: 96 },
  T57W: { lines: 16, hardwareId: 97 },
  T58: { lines: 16, hardwareId: 58 },
  T58W: { lines: 16, hardwareId: 150 },
  CP920: { lines: 1, hardwareId: 78 },
  W52P: { lines: 5, hardwareId: 25 },
  W56P: { lines: 5, hardwareId: 25 },
  W60P: { lines: 8, hardwareId: 77 },
};

/* Poly UC Software: registrations per model (UC Software admin guide line tables). */
const POLY: Table = {
  VVX101: { lines: 1 },
  VVX150: { lines: 2 },
  VVX201: { lines: 2 },
  VVX250: { lines: 4 },
  VVX300: { lines: 6 },
  VVX301: { lines: 6 },
  VVX310: { lines: 6 },
  VVX311: { lines: 6 },
  VVX350: { lines: 6 },
  VVX400: { lines: 12 },
  VVX401: { lines: 12 },
  VVX410: { lines: 12 },
  VVX411: { lines: 12 },
  VVX450: { lines: 12 },
  VVX500: { lines: 12 },
  VVX501: { lines: 12 },
  VVX600: { lines: 16 },
  VVX601: { lines: 16 },
  SPIP335: { lines: 2 },
  SPIP450: { lines: 3 },
  SPIP550: { lines: 4 },
  SPIP650: { lines: 6 },
};

/* Cisco MPP (3PCC firmware): extensions per model (line keys; wazo-provd-plugins _NB_FKEY). */
const CISCO_MPP: Table = {
  'CP-6821': { lines: 2 },
  'CP-6841': { lines: 4 },
  'CP-6851': { lines: 4 },
  'CP-6861': { lines: 4 },
  'CP-6871': { lines: 6 },
  'CP-7811': { lines: 1 },
  'CP-7821': { lines: 2 },
  'CP-7832': { lines: 1 },
  'CP-7841': { lines: 4 },
  'CP-7861': { lines: 16 },
  'CP-8811': { lines: 10 },
  'CP-8841': { lines: 10 },
  'CP-8845': { lines: 10 },
  'CP-8851': { lines: 10 },
  'CP-8861': { lines: 10 },
  'CP-8865': { lines: 10 },
};

/* Cisco enterprise SIP firmware: line buttons per model (Cisco data sheets). */
const CISCO_ENTERPRISE: Table = {
  '7941': { lines: 2 },
  '7942': { lines: 2 },
  '7945': { lines: 2 },
  '7961': { lines: 6 },
  '7962': { lines: 6 },
  '7965': { lines: 6 },
  '7975': { lines: 8 },
  '8941': { lines: 4 },
  '8945': { lines: 4 },
  '8961': { lines: 5 },
  '9951': { lines: 5 },
  '9971': { lines: 6 },
};

/* Grandstream: SIP accounts per model (data sheets); the P-value map covers accounts 1..6. */
const GRANDSTREAM: Table = {
  GXP1610: { lines: 1 },
  GXP1615: { lines: 1 },
  GXP1620: { lines: 2 },
  GXP1625: { lines: 2 },
  GXP1628: { lines: 2 },
  GXP1630: { lines: 3 },
  GXP2130: { lines: 3 },
  GXP2135: { lines: 4 },
  GXP2140: { lines: 4 },
  GXP2160: { lines: 6 },
  GXP2170: { lines: 6 },
  GRP2612: { lines: 2 },
  GRP2613: { lines: 3 },
  GRP2614: { lines: 4 },
  GRP2615: { lines: 5 },
  GRP2616: { lines: 6 },
};

/* Snom D7xx/D3xx: identities per model (Snom data sheets). */
const SNOM: Table = {
  D305: { lines: 4 },
  D315: { lines: 4 },
  D335: { lines: 12 },
  D345: { lines: 12 },
  D375: { lines: 12 },
  D385: { lines: 12 },
  D710: { lines: 4 },
  D712: { lines: 4 },
  D715: { lines: 4 },
  D717: { lines: 6 },
  D725: { lines: 12 },
  D735: { lines: 12 },
  D745: { lines: 12 },
  D765: { lines: 12 },
  D785: { lines: 12 },
};

/* Fanvil X-series: SIP lines per model (Fanvil data sheets). */
const FANVIL: Table = {
  X1S: { lines: 2 },
  X1SP: { lines: 2 },
  X3S: { lines: 4 },
  X3SP: { lines: 4 },
  X3U: { lines: 6 },
  X4U: { lines: 12 },
  X5U: { lines: 16 },
  X6U: { lines: 20 },
  X7: { lines: 20 },
  X7C: { lines: 20 },
  X210: { lines: 20 },
};

/* Gigaset DECT multicell/base systems: SIP accounts (one per handset; Gigaset data sheets). */
const GIGASET: Table = {
  N670: { lines: 20 },
  N870: { lines: 250 },
  N870E: { lines: 250 },
};

const TABLES: Record<VendorFamily, Table> = {
  yealink: YEALINK,
  poly: POLY,
  'cisco-mpp': CISCO_MPP,
  'cisco-enterprise': CISCO_ENTERPRISE,
  grandstream: GRANDSTREAM,
  snom: SNOM,
  fanvil: FANVIL,
  gigaset: GIGASET,
};

/** Lines assumed for an unknown model: the family's largest, so no assigned line is lost. */
const DEFAULT_LINES: Record<VendorFamily, number> = {
  yealink: 16,
  poly: 12,
  'cisco-mpp': 10,
  'cisco-enterprise': 2,
  grandstream: 6,
  snom: 12,
  fanvil: 20,
  gigaset: 20,
};

/**
 * Reduces the many spellings a model arrives in (User-Agent, admin input) to the table key:
 * `SIP-T46S` → T46S, `VVX_450` → VVX450, `CP-8841-3PCC`/`8841` → CP-8841, `snomD785` → D785,
 * `N870 IP PRO` → N870.
 */
export function canonicalModelId(vendor: VendorFamily, model: string): string {
  const upper = model.trim().toUpperCase();
  switch (vendor) {
    case 'yealink':
      return upper.replace(/^(YEALINK[\s-]*)?(SIP[\s-]*)?(VP[\s-]*)?/, '').replace(/[\s_-]+/g, '');
    case 'poly':
      return upper.replace(/^(POLY(COM)?[\s-]*)/, '').replace(/[\s_-]+/g, '');
    case 'cisco-mpp': {
      const digits = /(\d{4})/.exec(upper);
      return digits ? `CP-${digits[1]}` : upper.replace(/[^A-Z0-9-]/g, '');
    }
    case 'cisco-enterprise': {
      const digits = /(\d{4})/.exec(upper);
      return digits ? digits[1]! : upper.replace(/[^A-Z0-9]/g, '');
    }
    case 'snom':
      return upper.replace(/^SNOM[\s-]*/, '').replace(/[^A-Z0-9]/g, '');
    case 'gigaset':
      return upper
        .replace(/^GIGASET[\s-]*/, '')
        .split(/\s/)[0]!
        .replace(/[^A-Z0-9]/g, '');
    default:
      return upper.replace(/^(GRANDSTREAM|FANVIL)[\s-]*/, '').replace(/[^A-Z0-9]/g, '');
  }
}

/** Canonical ids of the models the table knows, e.g. to map a requested common file name back to its model. */
export function knownModelIds(vendor: VendorFamily): string[] {
  return Object.keys(TABLES[vendor]);
}

export function modelInfo(vendor: VendorFamily, model: string): ModelInfo {
  const id = canonicalModelId(vendor, model);
  const entry = TABLES[vendor][id];
  if (entry) return { id, lines: entry.lines, hardwareId: entry.hardwareId, known: true };
  return { id, lines: DEFAULT_LINES[vendor], known: false };
}
