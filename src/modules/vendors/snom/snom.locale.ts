import type { Setting } from '../../render/device/settings-list.js';
import { languageBase } from '../../render/device/languages.js';
import { mondayFirst, pad2, hms } from '../../render/device/time-zone-formats.js';
import { type TransitionRule, type ZoneFacts } from '../../render/device/time-zones.js';

/* Snom `language` / `web_language`: the names the firmware ships. */
const LANGUAGES: Record<string, string> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Francais',
  es: 'Espanol',
  it: 'Italiano',
  nl: 'Dutch',
  pt: 'Portugues',
  sv: 'Svenska',
  da: 'Dansk',
  nb: 'Norsk',
  no: 'Norsk',
  fi: 'Suomi',
  pl: 'Polski',
  cs: 'Cestina',
  tr: 'Turkce',
  ru: 'Russian',
};

export function snomLanguage(language: string): string | undefined {
  return LANGUAGES[languageBase(language)];
}

/**
 * Snom: empty `timezone` (no table id) plus explicit `utc_offset` seconds and a `dst` rule
 * "<save seconds> MM.WW.DD HH:MM:SS MM.WW.DD HH:MM:SS" (week 5 = last, Monday = 1). This covers
 * every IANA zone without a zone-id table that goes stale with firmware.
 */
export function snomTimeSettings(facts: ZoneFacts): Setting[] {
  const seconds = facts.standardOffsetMinutes * 60;
  const out: Setting[] = [
    { key: 'timezone', value: '' },
    { key: 'utc_offset', value: `${seconds < 0 ? '-' : '+'}${Math.abs(seconds)}` },
  ];
  const dst = facts.dst;
  if (!dst) return [...out, { key: 'dst', value: '' }];
  const rule = (r: TransitionRule): string =>
    `${pad2(r.month)}.${pad2(r.week)}.${pad2(mondayFirst(r.weekday))} ${hms(r.minuteOfDay)}`;
  return [...out, { key: 'dst', value: `${dst.savingMinutes * 60} ${rule(dst.start)} ${rule(dst.end)}` }];
}
