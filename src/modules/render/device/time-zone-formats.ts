import type { TransitionRule } from './time-zones.js';

/*
 * Helpers for each vendor's way of writing "standard offset + daylight-saving rule" (the writers
 * are in src/modules/vendors/<family>/<family>.locale.ts). All of them are derived from ZoneFacts
 * (see time-zones.ts for the fixed reference year). Weekday numbering differs:
 * JS/POSIX 0 = Sunday; Yealink, Cisco and Snom count Monday = 1 .. Sunday = 7; Poly and Fanvil
 * count Sunday = 1 .. Saturday = 7 (as the wazo-provd-plugins templates for these vendors do).
 */

export const mondayFirst = (weekday: number): number => ((weekday + 6) % 7) + 1;
export const sundayFirst = (weekday: number): number => weekday + 1;
export const hourOf = (rule: TransitionRule): number => Math.floor(rule.minuteOfDay / 60);
export const pad2 = (n: number): string => String(n).padStart(2, '0');
export const hms = (minutes: number): string => `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}:00`;
