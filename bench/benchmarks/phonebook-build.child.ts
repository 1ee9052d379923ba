/**
 * One phonebook render in a fresh process, so its peak RSS (VmHWM) is this render's alone.
 * argv: <format> <entries>. Prints one JSON line: { ms, bytes, files, baselineMB, peakMB }.
 * argv: --formats prints the format ids of this tree as a JSON line.
 */
import {
  PHONEBOOK_FORMATS,
  renderPhonebook,
  type PhonebookEntry,
  type PhonebookFormat,
} from '../../src/modules/render/phonebook/index.js';
import { peakRssMB } from '../lib/proc.js';

const [format, countText] = process.argv.slice(2);
if (format === '--formats') {
  console.log(JSON.stringify(PHONEBOOK_FORMATS));
  process.exit(0);
}
const count = Number(countText);

/** Generated entries in (last name, first name, id) order, as the database cursor would give them. */
function* entries(total: number): Generator<PhonebookEntry> {
  const width = String(total).length;
  for (let i = 0; i < total; i++) {
    const key = String(i).padStart(width, '0');
    yield {
      id: `c${key}`,
      firstName: `Given ${key}`,
      lastName: `Family ${key}`,
      company: `Company ${i % 3000} & Partners`,
      title: 'Head of Procurement',
      numbers: [
        { type: 'work', number: `+4930${1_000_000 + i}` },
        { type: 'mobile', number: `+49171${1_000_000 + i}` },
        { type: 'home', number: `+4940${1_000_000 + i}` },
      ],
      group: `Department ${i % 40}`,
    };
  }
}

const baselineMB = peakRssMB(process.pid) ?? 0;
const started = process.hrtime.bigint();
const result = await renderPhonebook(
  format as PhonebookFormat,
  { title: 'Company', entries: entries(count) },
  { baseUrl: 'http://127.0.0.1/pb/token' },
);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const bytes = result.files.reduce((sum, file) => sum + file.body.length, 0);
console.log(
  JSON.stringify({
    ms,
    bytes,
    files: result.files.length,
    entries: result.entryCount,
    baselineMB,
    peakMB: peakRssMB(process.pid) ?? 0,
  }),
);
