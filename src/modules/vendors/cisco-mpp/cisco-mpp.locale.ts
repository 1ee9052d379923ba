import type { Setting } from '../../render/device/settings-list.js';
import { formatOffset, type TransitionRule, type ZoneFacts } from '../../render/device/time-zones.js';
import { languageBase } from '../../render/device/languages.js';
import { mondayFirst, hourOf } from '../../render/device/time-zone-formats.js';

/* Cisco MPP `Language_Selection` (dictionary name) and `Locale`. */
const LANGUAGES: Record<string, { selection: string; locale: string }> = {
  en: { selection: 'English-US', locale: 'en-US' },
  de: { selection: 'German', locale: 'de-DE' },
  fr: { selection: 'French', locale: 'fr-FR' },
  es: { selection: 'Spanish', locale: 'es-ES' },
  it: { selection: 'Italian', locale: 'it-IT' },
  nl: { selection: 'Dutch', locale: 'nl-NL' },
  pt: { selection: 'Portuguese', locale: 'pt-PT' },
  da: { selection: 'Danish', locale: 'da-DK' },
  sv: { selection: 'Swedish', locale: 'sv-SE' },
};

export function ciscoMppLanguage(language: string): { selection: string; locale: string } | undefined {
  return LANGUAGES[languageBase(language)];
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
