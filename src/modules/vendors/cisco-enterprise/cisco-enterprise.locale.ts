import { languageBase } from '../../render/device/languages.js';

/* Cisco enterprise `userLocale` (TFTP locale folder name) and `langCode`. */
const LANGUAGES: Record<string, { name: string; langCode: string }> = {
  en: { name: 'English_United_States', langCode: 'en_US' },
  de: { name: 'German_Germany', langCode: 'de_DE' },
  fr: { name: 'French_France', langCode: 'fr_FR' },
  es: { name: 'Spanish_Spain', langCode: 'es_ES' },
  it: { name: 'Italian_Italy', langCode: 'it_IT' },
  nl: { name: 'Dutch_Netherlands', langCode: 'nl_NL' },
  pt: { name: 'Portuguese_Portugal', langCode: 'pt_PT' },
};

export function ciscoEnterpriseLanguage(language: string): { name: string; langCode: string } | undefined {
  return LANGUAGES[languageBase(language)];
}

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
