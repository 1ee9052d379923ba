import { assignSlots, type CleanEntry, type NumberSlot, type RenderWarnings } from '../entry-view.js';
import { leaf, XmlDocument } from '../xml-sink.js';

type GigasetField = 'hm' | 'nb' | 'mb';

// Gigaset XML directory entry: `hm` home, `nb` office ("business"), `mb` mobile — one of each.
const GIGASET_FIELDS: readonly NumberSlot<GigasetField>[] = [
  { slot: 'hm', accepts: ['home'] },
  { slot: 'nb', accepts: ['work', 'extension'] },
  { slot: 'mb', accepts: ['mobile'] },
];
// Numbers of other types (fax, other, a second office number) show as the office number first.
const GIGASET_OVERFLOW: readonly GigasetField[] = ['nb', 'hm', 'mb'];

export interface GigasetWindow {
  /** Entries in the whole (possibly filtered) list the phone pages through. */
  total: number;
  /** 1-based position of `entries[0]` in that list. */
  first: number;
  entries: readonly CleanEntry[];
}

/**
 * `<list response="get_list" type="pr" total first last>` — the answer to a Gigaset `get_list`
 * request (and the whole central book as a static file). An empty answer carries `first="1"
 * last="0"`, as deployed Gigaset directory servers send it.
 */
export function gigasetListDocument(window: GigasetWindow, warnings?: RenderWarnings): XmlDocument {
  const last = window.entries.length === 0 ? 0 : window.first + window.entries.length - 1;
  const doc = new XmlDocument();
  doc.open('list', {
    response: 'get_list',
    type: 'pr',
    total: String(window.total),
    first: String(window.entries.length === 0 ? 1 : window.first),
    last: String(last),
  });
  for (const entry of window.entries) {
    const { filled, dropped } = assignSlots(entry.numbers, GIGASET_FIELDS, GIGASET_OVERFLOW);
    if (dropped > 0) warnings?.count('numbers dropped (gigaset entry holds hm, nb and mb only)', dropped);
    const personal = entry.firstName !== '' || entry.lastName !== '';
    const children = [leaf('ln', personal ? entry.lastName : entry.displayName), leaf('fn', entry.firstName)];
    for (const { slot, number } of filled) children.push(leaf(slot, number));
    doc.add({ name: 'entry', children });
  }
  return doc;
}
