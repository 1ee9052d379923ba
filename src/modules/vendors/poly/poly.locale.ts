import type { Setting } from '../../render/device/settings-list.js';
import { languageBase } from '../../render/device/languages.js';
import { sundayFirst, hourOf } from '../../render/device/time-zone-formats.js';
import { type ZoneFacts } from '../../render/device/time-zones.js';

/* Poly `lcl.ml.lang`: <Language>_<Country> names of UC Software dictionaries. */
const LANGUAGES: Record<string, string> = {
  en: 'English_United_States',
  de: 'German_Germany',
  fr: 'French_France',
  es: 'Spanish_Spain',
  it: 'Italian_Italy',
  nl: 'Dutch_Netherlands',
  pt: 'Portuguese_Portugal',
  pl: 'Polish_Poland',
  ru: 'Russian_Russia',
  sv: 'Swedish_Sweden',
  nb: 'Norwegian_Norway',
  no: 'Norwegian_Norway',
  da: 'Danish_Denmark',
  ja: 'Japanese_Japan',
  ko: 'Korean_Korea',
  zh: 'Chinese_China',
};

export function polyLanguage(language: string): string | undefined {
  return LANGUAGES[languageBase(language)];
}

/** Poly `tcpIpApp.sntp.*`: GMT offset in seconds, DST as month + nth/last weekday + hour. */
export function polyTimeSettings(facts: ZoneFacts): Setting[] {
  const out: Setting[] = [{ key: 'tcpIpApp.sntp.gmtOffset', value: String(facts.standardOffsetMinutes * 60) }];
  const dst = facts.dst;
  if (!dst) return [...out, { key: 'tcpIpApp.sntp.daylightSavings.enable', value: '0' }];
  out.push({ key: 'tcpIpApp.sntp.daylightSavings.enable', value: '1' });
  out.push({ key: 'tcpIpApp.sntp.daylightSavings.fixedDayEnable', value: '0' });
  for (const [suffix, rule] of [
    ['start', dst.start],
    ['stop', dst.end],
  ] as const) {
    const p = `tcpIpApp.sntp.daylightSavings.${suffix}`;
    out.push({ key: `${p}.month`, value: String(rule.month) });
    // With fixedDayEnable 0, `date` is the first day of the searched week: 1, 8, 15, 22.
    if (rule.week !== 5) out.push({ key: `${p}.date`, value: String((rule.week - 1) * 7 + 1) });
    out.push({ key: `${p}.dayOfWeek`, value: String(sundayFirst(rule.weekday)) });
    out.push({ key: `${p}.dayOfWeek.lastInMonth`, value: rule.week === 5 ? '1' : '0' });
    out.push({ key: `${p}.time`, value: String(hourOf(rule)) });
  }
  return out;
}
