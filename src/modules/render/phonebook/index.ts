import { BadRequestError } from '../../../errors/errors.js';
import { renderCisco } from './formats/cisco.js';
import { renderFanvil } from './formats/fanvil.js';
import { renderGigaset } from './formats/gigaset.js';
import { renderGrandstream } from './formats/grandstream.js';
import { renderPoly } from './formats/poly.js';
import { renderSnom } from './formats/snom.js';
import { renderSnomDirectory } from './formats/snom-directory.js';
import { renderYealink } from './formats/yealink.js';
import { renderYealinkGrouped } from './formats/yealink-grouped.js';
import type { PhonebookInput, PhonebookRenderOptions, PhonebookRenderResult } from './phonebook.types.js';

export type {
  PhonebookEntry,
  PhonebookFile,
  PhonebookInput,
  PhonebookNumber,
  PhonebookNumberType,
  PhonebookRenderOptions,
  PhonebookRenderResult,
} from './phonebook.types.js';

/** Format ids as they appear in phonebook URLs (`/pb/<token>/<format>.xml`). */
export const PHONEBOOK_FORMATS = [
  'yealink',
  'yealink-grouped',
  'poly',
  'cisco',
  'grandstream',
  'snom',
  'snom-directory',
  'fanvil',
  'gigaset',
] as const;

export type PhonebookFormat = (typeof PHONEBOOK_FORMATS)[number];

type Renderer = (input: PhonebookInput, options: PhonebookRenderOptions) => Promise<PhonebookRenderResult>;

const RENDERERS: Record<PhonebookFormat, Renderer> = {
  yealink: renderYealink,
  'yealink-grouped': renderYealinkGrouped,
  poly: renderPoly,
  cisco: renderCisco,
  grandstream: renderGrandstream,
  snom: renderSnom,
  'snom-directory': renderSnomDirectory,
  fanvil: renderFanvil,
  gigaset: renderGigaset,
};

export function isPhonebookFormat(value: string): value is PhonebookFormat {
  return Object.hasOwn(RENDERERS, value);
}

/**
 * Renders one phonebook variant in one vendor format. Pure: the same input (entries in the same
 * order) gives the same bytes. Entries are read once, so they may come from a database cursor.
 */
export async function renderPhonebook(
  format: PhonebookFormat,
  input: PhonebookInput,
  options: PhonebookRenderOptions = {},
): Promise<PhonebookRenderResult> {
  if (!isPhonebookFormat(format)) {
    throw new BadRequestError('unknown_phonebook_format', `unknown phonebook format "${String(format)}"`);
  }
  return RENDERERS[format](input, options);
}
