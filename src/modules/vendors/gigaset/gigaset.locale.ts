import { zoneFacts, type ZoneFacts } from '../../render/device/time-zones.js';

/* Gigaset has no language setting; its time zone is an IANA name from the firmware's own list. */

/**
 * Gigaset N870 `DmGlobal.0.TimeZone` takes an IANA name, but only from its own list (the set the
 * wazo-provd-plugins Gigaset plugin validates against). Other zones map to the first listed zone
 * with the same offset and daylight-saving rule, else the same standard offset.
 */
const GIGASET_ZONES = [
  'Pacific/Honolulu',
  'America/Anchorage',
  'America/Los_Angeles',
  'America/Denver',
  'America/Chicago',
  'America/New_York',
  'America/Caracas',
  'America/Sao_Paulo',
  'Europe/Dublin',
  'Europe/Lisbon',
  'Europe/London',
  'Greenwich',
  'Europe/Amsterdam',
  'Europe/Andorra',
  'Europe/Belgrade',
  'Europe/Berlin',
  'Europe/Bratislava',
  'Europe/Brussels',
  'Europe/Budapest',
  'Europe/Copenhagen',
  'Europe/Gibraltar',
  'Europe/Ljubljana',
  'Europe/Luxembourg',
  'Europe/Madrid',
  'Europe/Malta',
  'Europe/Monaco',
  'Europe/Oslo',
  'Europe/Paris',
  'Europe/Podgorica',
  'Europe/Prague',
  'Europe/Rome',
  'Europe/San_Marino',
  'Europe/Sarajevo',
  'Europe/Skopje',
  'Europe/Stockholm',
  'Europe/Tirane',
  'Europe/Vaduz',
  'Europe/Vatican',
  'Europe/Vienna',
  'Europe/Warsaw',
  'Europe/Zagreb',
  'Europe/Zurich',
  'Africa/Cairo',
  'Europe/Athens',
  'Europe/Bucharest',
  'Europe/Chisinau',
  'Europe/Helsinki',
  'Europe/Kaliningrad',
  'Europe/Kiev',
  'Europe/Mariehamn',
  'Europe/Nicosia',
  'Europe/Riga',
  'Europe/Sofia',
  'Europe/Tallinn',
  'Europe/Vilnius',
  'Europe/Istanbul',
  'Europe/Kirov',
  'Europe/Minsk',
  'Europe/Moscow',
  'Europe/Simferopol',
  'Europe/Volgograd',
  'Asia/Dubai',
  'Europe/Astrakhan',
  'Europe/Samara',
  'Europe/Ulyanovsk',
  'Asia/Karachi',
  'Asia/Dhaka',
  'Asia/Hong_Kong',
  'Asia/Tokyo',
  'Australia/Adelaide',
  'Australia/Darwin',
  'Australia/Brisbane',
  'Australia/Sydney',
  'Pacific/Noumea',
] as const;

function sameRule(a: ZoneFacts, b: ZoneFacts): boolean {
  return JSON.stringify(a.dst) === JSON.stringify(b.dst);
}

export interface GigasetZone {
  name: string;
  /** True when the zone was replaced by an equivalent listed zone. */
  substituted: boolean;
  /** False when not even the standard offset matches a listed zone. */
  exact: boolean;
}

export function gigasetZone(facts: ZoneFacts): GigasetZone {
  if ((GIGASET_ZONES as readonly string[]).includes(facts.zone))
    return { name: facts.zone, substituted: false, exact: true };
  // 'Greenwich' is the firmware's own spelling; it is not an ICU zone, so use UTC's facts for it.
  const candidates = GIGASET_ZONES.map((name) => ({ name, facts: zoneFacts(name === 'Greenwich' ? 'UTC' : name) }));
  const sameOffset = candidates.filter((c) => c.facts.standardOffsetMinutes === facts.standardOffsetMinutes);
  const best = sameOffset.find((c) => sameRule(c.facts, facts)) ?? sameOffset[0];
  if (best) return { name: best.name, substituted: true, exact: sameRule(best.facts, facts) };
  return { name: 'Greenwich', substituted: true, exact: false };
}
