import type { ModelCatalogue, ModelTable } from '../../render/device/models.js';

/*
 * Yealink. Account counts: Yealink admin guides (account.X ranges per model) and
 * wazo-provd-plugins `_NB_SIP_ACCOUNTS`. Hardware ids: the `y0000000000XX.cfg` names in
 * wazo-provd-plugins yealink v84/v86 entry.py (T4xS 65-68, T5xW 95-97, T4xU 108, T58W 150,
 * CP920 78, T3x 123/124/127, T27G 69) and a public provisioning script's model map for the
 * per-model U-series ids (T42U 116, T43U 107, T48U 109), T52S 74, T54S 70, T58 58, W52P/W56P 25,
 * W60P 77. T41U is left without an id: no two sources agreed on it.
 */
const TABLE: ModelTable = {
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

/** `SIP-T46S` → T46S. */
function canonicalId(model: string): string {
  const upper = model.trim().toUpperCase();
  return upper.replace(/^(YEALINK[\s-]*)?(SIP[\s-]*)?(VP[\s-]*)?/, '').replace(/[\s_-]+/g, '');
}

export const YEALINK_MODELS: ModelCatalogue = { table: TABLE, defaultLines: 16, canonicalId };
