import type { Setting } from '../../render/device/settings-list.js';
import { formatOffset, type TransitionRule, type ZoneFacts } from '../../render/device/time-zones.js';
import { languageBase } from '../../render/device/languages.js';
import { mondayFirst, hourOf } from '../../render/device/time-zone-formats.js';

/* Yealink `lang.gui` / `lang.wui`: the language file names of T4x/T5x firmware. */
const LANGUAGES: Record<string, string> = {
  en: 'English',
  de: 'German',
  fr: 'French',
  es: 'Spanish',
  it: 'Italian',
  pt: 'Portuguese',
  pl: 'Polish',
  tr: 'Turkish',
  ru: 'Russian',
  nl: 'Dutch',
  he: 'Hebrew',
  ja: 'Japanese',
  ko: 'Korean',
  zh: 'Chinese_S',
};

export function yealinkLanguage(language: string): string | undefined {
  return LANGUAGES[languageBase(language)];
}

/** Yealink `local_time.*`: offset like "+1" or "+5:30", DST by week rule "month/week/weekday/hour". */
export function yealinkTimeSettings(facts: ZoneFacts): Setting[] {
  const minutes = facts.standardOffsetMinutes;
  const offset =
    minutes % 60 === 0 ? `${minutes < 0 ? '-' : '+'}${Math.abs(minutes / 60)}` : formatOffset(minutes, ':', false);
  const out: Setting[] = [{ key: 'local_time.time_zone', value: offset }];
  const dst = facts.dst;
  if (!dst) return [...out, { key: 'local_time.summer_time', value: '0' }];
  const rule = (r: TransitionRule): string => `${r.month}/${r.week}/${mondayFirst(r.weekday)}/${hourOf(r)}`;
  return [
    ...out,
    // summer_time 1 = rule given here; 2 would make the phone look up its own zone-name table.
    { key: 'local_time.summer_time', value: '1' },
    { key: 'local_time.dst_time_type', value: '1' },
    { key: 'local_time.start_time', value: rule(dst.start) },
    { key: 'local_time.end_time', value: rule(dst.end) },
    { key: 'local_time.offset_time', value: String(dst.savingMinutes) },
  ];
}
