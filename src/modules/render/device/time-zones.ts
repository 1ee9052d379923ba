import { RenderError } from './render.types.js';

/**
 * IANA zone → the facts phones need: standard UTC offset and the daylight-saving rule.
 *
 * Phones do not know IANA names (except Gigaset); they want an offset plus a "month / nth
 * weekday / hour" rule. We derive both from the zone as it behaves in one fixed reference year,
 * using the tzdata bundled with Node's ICU. The reference year is fixed on purpose: output must be
 * byte-stable (Yealink re-applies a profile whenever its MD5 changes), so the same input renders
 * the same bytes on every day of the year. A tzdata update that changes the zone's rules for the
 * reference year changes the bytes, which is the correct outcome. Rules are expressed the way
 * phones apply them every year, so a zone whose rules change after the reference year needs the
 * constant bumped (and goldens refreshed).
 */
export const TIME_ZONE_REFERENCE_YEAR = 2025;

/** When the clock changes, as a recurring rule in local wall time. */
export interface TransitionRule {
  /** 1..12 */
  month: number;
  /** 1..4 = nth occurrence of weekday in the month, 5 = last occurrence. */
  week: 1 | 2 | 3 | 4 | 5;
  /** 0 = Sunday .. 6 = Saturday. */
  weekday: number;
  /** Local wall time (in the offset in force before the change), minutes after midnight. */
  minuteOfDay: number;
}

export interface DaylightSaving {
  /** Minutes added in summer, usually 60. */
  savingMinutes: number;
  start: TransitionRule;
  end: TransitionRule;
}

export interface ZoneFacts {
  zone: string;
  /** Standard (winter) offset from UTC in minutes, east positive. */
  standardOffsetMinutes: number;
  /** Undefined for zones without daylight saving in the reference year. */
  dst?: DaylightSaving;
  /** True when the zone changed offset in an irregular way (more than two changes a year). */
  irregular: boolean;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const formatters = new Map<string, Intl.DateTimeFormat>();
const factsCache = new Map<string, ZoneFacts>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    } catch {
      throw new RenderError(`unknown time zone "${zone}"`);
    }
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** UTC offset of the zone at an instant, in minutes east of UTC. */
export function offsetMinutesAt(zone: string, epochMs: number): number {
  const part =
    formatterFor(zone)
      .formatToParts(epochMs)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const match = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(part);
  if (!match) throw new RenderError(`cannot read the UTC offset of time zone "${zone}"`);
  if (!match[1]) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

function findTransition(zone: string, from: number, to: number): number {
  // Offsets change on whole minutes; binary search down to one minute.
  const before = offsetMinutesAt(zone, from);
  let low = from;
  let high = to;
  while (high - low > MINUTE) {
    const mid = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
    if (offsetMinutesAt(zone, mid) === before) low = mid;
    else high = mid;
  }
  return high;
}

function ruleAt(instant: number, offsetBefore: number): TransitionRule {
  const local = new Date(instant + offsetBefore * MINUTE);
  const day = local.getUTCDate();
  const month = local.getUTCMonth() + 1;
  const daysInMonth = new Date(Date.UTC(local.getUTCFullYear(), month, 0)).getUTCDate();
  const week = day + 7 > daysInMonth ? 5 : (Math.ceil(day / 7) as 1 | 2 | 3 | 4);
  return {
    month,
    week,
    weekday: local.getUTCDay(),
    minuteOfDay: local.getUTCHours() * 60 + local.getUTCMinutes(),
  };
}

export function zoneFacts(zone: string): ZoneFacts {
  const cached = factsCache.get(zone);
  if (cached) return cached;

  const yearStart = Date.UTC(TIME_ZONE_REFERENCE_YEAR, 0, 1);
  const yearEnd = Date.UTC(TIME_ZONE_REFERENCE_YEAR + 1, 0, 1);
  const transitions: Array<{ at: number; before: number; after: number }> = [];
  let previous = offsetMinutesAt(zone, yearStart);
  for (let t = yearStart + DAY; t <= yearEnd; t += DAY) {
    const current = offsetMinutesAt(zone, t);
    if (current !== previous) {
      transitions.push({ at: findTransition(zone, t - DAY, t), before: previous, after: current });
      previous = current;
    }
  }

  const january = offsetMinutesAt(zone, yearStart);
  let facts: ZoneFacts;
  const [first, second] = transitions;
  if (transitions.length === 2 && first && second && first.before === second.after) {
    const forward = first.after > first.before ? first : second;
    const backward = forward === first ? second : first;
    facts = {
      zone,
      standardOffsetMinutes: forward.before,
      dst: {
        savingMinutes: forward.after - forward.before,
        start: ruleAt(forward.at, forward.before),
        end: ruleAt(backward.at, backward.before),
      },
      irregular: false,
    };
  } else {
    // No DST, or a zone that moved for good / changes more than twice: keep the year's end offset.
    const standard = transitions.length === 0 ? january : previous;
    facts = { zone, standardOffsetMinutes: standard, irregular: transitions.length > 0 };
  }
  factsCache.set(zone, facts);
  return facts;
}

/** "+01:00", "-03:30", "+00:00" */
export function formatOffset(minutes: number, separator = ':', padHours = true): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hours = String(Math.floor(abs / 60));
  return `${sign}${padHours ? hours.padStart(2, '0') : hours}${separator}${String(abs % 60).padStart(2, '0')}`;
}
