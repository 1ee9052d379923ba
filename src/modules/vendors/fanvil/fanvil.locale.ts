import { languageBase } from '../../render/device/languages.js';
import { sundayFirst, hourOf, pad2 } from '../../render/device/time-zone-formats.js';
import { type TransitionRule, type ZoneFacts } from '../../render/device/time-zones.js';

/* Fanvil `DefaultLanguage` index (firmware 2.x language list, as used by wazo-provd-plugins). */
const LANGUAGES: Record<string, string> = {
  en: '0',
  nl: '3',
  fr: '5',
  es: '6',
  it: '7',
  de: '16',
};

export function fanvilLanguage(language: string): string | undefined {
  return LANGUAGES[languageBase(language)];
}

export interface FanvilTime {
  timeZone: string;
  timeZoneName: string;
  dst?: {
    minOffset: string;
    start: { month: string; week: string; weekday: string; hour: string; minute: string };
    end: { month: string; week: string; weekday: string; hour: string; minute: string };
  };
}

/** Fanvil `<date>`: offset in quarter hours, "UTC+1"-style name, DST week -1 = last. */
export function fanvilTime(facts: ZoneFacts): FanvilTime {
  const minutes = facts.standardOffsetMinutes;
  const hours = Math.trunc(minutes / 60);
  const rest = Math.abs(minutes % 60);
  const name =
    minutes === 0
      ? 'UTC'
      : `UTC${minutes < 0 ? '-' : '+'}${minutes < 0 ? pad2(Math.abs(hours)) : Math.abs(hours)}${rest ? `:${pad2(rest)}` : ''}`;
  const out: FanvilTime = { timeZone: String(minutes / 15), timeZoneName: name };
  const dst = facts.dst;
  if (dst) {
    const rule = (r: TransitionRule) => ({
      month: String(r.month),
      week: r.week === 5 ? '-1' : String(r.week),
      weekday: String(sundayFirst(r.weekday)),
      hour: String(hourOf(r)),
      minute: String(r.minuteOfDay % 60),
    });
    out.dst = { minOffset: String(dst.savingMinutes), start: rule(dst.start), end: rule(dst.end) };
  }
  return out;
}
