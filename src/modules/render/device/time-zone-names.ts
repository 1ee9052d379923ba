import { zoneFacts, type ZoneFacts } from './time-zones.js';

/*
 * The two vendors that want a zone *name* rather than an offset rule.
 */

/**
 * Cisco enterprise SIP firmware `<timeZone>`: Windows zone names in CUCM's "Standard/Daylight
 * Time" form (CLDR windowsZones mapping of the IANA zone). Zones outside the table render an
 * empty element (the phone keeps its default) and a warning.
 */
const CISCO_ENTERPRISE_ZONES: Record<string, string> = {
  UTC: 'Greenwich Standard Time',
  'Etc/UTC': 'Greenwich Standard Time',
  'Atlantic/Reykjavik': 'Greenwich Standard Time',
  'Europe/London': 'GMT Standard/Daylight Time',
  'Europe/Dublin': 'GMT Standard/Daylight Time',
  'Europe/Lisbon': 'GMT Standard/Daylight Time',
  'Europe/Amsterdam': 'W. Europe Standard/Daylight Time',
  'Europe/Berlin': 'W. Europe Standard/Daylight Time',
  'Europe/Rome': 'W. Europe Standard/Daylight Time',
  'Europe/Stockholm': 'W. Europe Standard/Daylight Time',
  'Europe/Vienna': 'W. Europe Standard/Daylight Time',
  'Europe/Zurich': 'W. Europe Standard/Daylight Time',
  'Europe/Oslo': 'W. Europe Standard/Daylight Time',
  'Europe/Luxembourg': 'W. Europe Standard/Daylight Time',
  'Europe/Brussels': 'Romance Standard/Daylight Time',
  'Europe/Copenhagen': 'Romance Standard/Daylight Time',
  'Europe/Madrid': 'Romance Standard/Daylight Time',
  'Europe/Paris': 'Romance Standard/Daylight Time',
  'Europe/Belgrade': 'Central Europe Standard/Daylight Time',
  'Europe/Bratislava': 'Central Europe Standard/Daylight Time',
  'Europe/Budapest': 'Central Europe Standard/Daylight Time',
  'Europe/Ljubljana': 'Central Europe Standard/Daylight Time',
  'Europe/Prague': 'Central Europe Standard/Daylight Time',
  'Europe/Sarajevo': 'Central European Standard/Daylight Time',
  'Europe/Skopje': 'Central European Standard/Daylight Time',
  'Europe/Warsaw': 'Central European Standard/Daylight Time',
  'Europe/Zagreb': 'Central European Standard/Daylight Time',
  'Europe/Athens': 'GTB Standard/Daylight Time',
  'Europe/Bucharest': 'GTB Standard/Daylight Time',
  'Europe/Helsinki': 'FLE Standard/Daylight Time',
  'Europe/Kiev': 'FLE Standard/Daylight Time',
  'Europe/Riga': 'FLE Standard/Daylight Time',
  'Europe/Sofia': 'FLE Standard/Daylight Time',
  'Europe/Tallinn': 'FLE Standard/Daylight Time',
  'Europe/Vilnius': 'FLE Standard/Daylight Time',
  'Europe/Moscow': 'Russian Standard Time',
  'America/New_York': 'Eastern Standard/Daylight Time',
  'America/Toronto': 'Eastern Standard/Daylight Time',
  'America/Chicago': 'Central Standard/Daylight Time',
  'America/Winnipeg': 'Central Standard/Daylight Time',
  'America/Denver': 'Mountain Standard/Daylight Time',
  'America/Edmonton': 'Mountain Standard/Daylight Time',
  'America/Phoenix': 'US Mountain Standard Time',
  'America/Los_Angeles': 'Pacific Standard/Daylight Time',
  'America/Vancouver': 'Pacific Standard/Daylight Time',
  'America/Anchorage': 'Alaskan Standard/Daylight Time',
  'America/Halifax': 'Atlantic Standard/Daylight Time',
  'Pacific/Honolulu': 'Hawaiian Standard Time',
  'Asia/Dubai': 'Arabian Standard Time',
  'Asia/Kolkata': 'India Standard Time',
  'Asia/Shanghai': 'China Standard Time',
  'Asia/Hong_Kong': 'China Standard Time',
  'Asia/Singapore': 'Singapore Standard Time',
  'Asia/Tokyo': 'Tokyo Standard Time',
  'Australia/Brisbane': 'E. Australia Standard Time',
  'Australia/Sydney': 'AUS Eastern Standard/Daylight Time',
  'Australia/Melbourne': 'AUS Eastern Standard/Daylight Time',
  'Pacific/Auckland': 'New Zealand Standard/Daylight Time',
};

export function ciscoEnterpriseZoneName(zone: string): string | undefined {
  return CISCO_ENTERPRISE_ZONES[zone];
}

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
