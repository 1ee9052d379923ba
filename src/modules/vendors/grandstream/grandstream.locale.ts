import { languageBase } from '../../render/device/languages.js';
import { pad2, hms } from '../../render/device/time-zone-formats.js';
import { type TransitionRule, type ZoneFacts } from '../../render/device/time-zones.js';

/* Grandstream P1362 takes the two-letter code itself for these firmware languages. */
const LANGUAGES = new Set(['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'pl', 'ru', 'tr', 'cs', 'ja', 'ko', 'zh']);

export function grandstreamLanguage(language: string): string | undefined {
  const code = languageBase(language);
  return LANGUAGES.has(code) ? code : undefined;
}

function posixOffset(minutesEast: number): string {
  // POSIX TZ offsets are west-positive: UTC+1 is written "-1".
  const west = -minutesEast;
  if (west === 0) return '0';
  const abs = Math.abs(west);
  const text = abs % 60 === 0 ? String(abs / 60) : `${Math.floor(abs / 60)}:${pad2(abs % 60)}`;
  return `${west < 0 ? '-' : '+'}${text}`;
}

/**
 * Grandstream P64 accepts a POSIX TZ string ("CET-1CEST-2,M3.5.0/02:00:00,M10.5.0/03:00:00").
 * Zone abbreviations do not matter to the phone's clock, so neutral STD/DST names are used for
 * every zone instead of a per-zone abbreviation table.
 */
export function grandstreamPosixZone(facts: ZoneFacts): string {
  const std = `STD${posixOffset(facts.standardOffsetMinutes)}`;
  const dst = facts.dst;
  if (!dst) return std;
  const rule = (r: TransitionRule): string => `M${r.month}.${r.week}.${r.weekday}/${hms(r.minuteOfDay)}`;
  return `${std}DST${posixOffset(facts.standardOffsetMinutes + dst.savingMinutes)},${rule(dst.start)},${rule(dst.end)}`;
}
