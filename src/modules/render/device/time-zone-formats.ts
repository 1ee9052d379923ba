import type { Setting } from './settings-list.js';
import { formatOffset, type TransitionRule, type ZoneFacts } from './time-zones.js';

/*
 * Each vendor's way of writing "standard offset + daylight-saving rule". All of them are derived
 * from ZoneFacts (see time-zones.ts for the fixed reference year). Weekday numbering differs:
 * JS/POSIX 0 = Sunday; Yealink, Cisco and Snom count Monday = 1 .. Sunday = 7; Poly and Fanvil
 * count Sunday = 1 .. Saturday = 7 (as the wazo-provd-plugins templates for these vendors do).
 */

const mondayFirst = (weekday: number): number => ((weekday + 6) % 7) + 1;
const sundayFirst = (weekday: number): number => weekday + 1;
const hourOf = (rule: TransitionRule): number => Math.floor(rule.minuteOfDay / 60);
const pad2 = (n: number): string => String(n).padStart(2, '0');
const hms = (minutes: number): string => `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}:00`;

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

/** Cisco MPP `Time_Zone` ("GMT+01:00") and `Daylight_Saving_Time_Rule`. */
export function ciscoMppTimeSettings(facts: ZoneFacts): Setting[] {
  const out: Setting[] = [
    { key: 'Time_Zone', value: `GMT${formatOffset(facts.standardOffsetMinutes)}` },
    // A DHCP option 2 offset would otherwise override the zone we set.
    { key: 'Ignore_DHCP_Time_Offset', value: 'Yes' },
  ];
  const dst = facts.dst;
  if (!dst) return [...out, { key: 'Daylight_Saving_Time_Enable', value: 'No' }];
  // month/day/weekday/time: day -1 = last weekday of the month, otherwise "on or after day".
  const rule = (r: TransitionRule): string =>
    `${r.month}/${r.week === 5 ? -1 : (r.week - 1) * 7 + 1}/${mondayFirst(r.weekday)}/${hourOf(r)}:${r.minuteOfDay % 60}:0`;
  const save = `${Math.floor(dst.savingMinutes / 60)}:${dst.savingMinutes % 60}:0`;
  return [
    ...out,
    { key: 'Daylight_Saving_Time_Enable', value: 'Yes' },
    { key: 'Daylight_Saving_Time_Rule', value: `start=${rule(dst.start)};end=${rule(dst.end)};save=${save}` },
  ];
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
