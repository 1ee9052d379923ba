/**
 * ISO 639-1 language → each vendor's own language value. A language a vendor table does not
 * know renders nothing (the phone keeps its language) and records a warning; guessing a value
 * would make some phones reject the whole file.
 */

/* Yealink `lang.gui` / `lang.wui`: the language file names of T4x/T5x firmware. */
const YEALINK: Record<string, string> = {
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

/* Poly `lcl.ml.lang`: <Language>_<Country> names of UC Software dictionaries. */
const POLY: Record<string, string> = {
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

/* Cisco MPP `Language_Selection` (dictionary name) and `Locale`. */
const CISCO_MPP: Record<string, { selection: string; locale: string }> = {
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

/* Cisco enterprise `userLocale` (TFTP locale folder name) and `langCode`. */
const CISCO_ENTERPRISE: Record<string, { name: string; langCode: string }> = {
  en: { name: 'English_United_States', langCode: 'en_US' },
  de: { name: 'German_Germany', langCode: 'de_DE' },
  fr: { name: 'French_France', langCode: 'fr_FR' },
  es: { name: 'Spanish_Spain', langCode: 'es_ES' },
  it: { name: 'Italian_Italy', langCode: 'it_IT' },
  nl: { name: 'Dutch_Netherlands', langCode: 'nl_NL' },
  pt: { name: 'Portuguese_Portugal', langCode: 'pt_PT' },
};

/* Grandstream P1362 takes the two-letter code itself for these firmware languages. */
const GRANDSTREAM = new Set(['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'pl', 'ru', 'tr', 'cs', 'ja', 'ko', 'zh']);

/* Snom `language` / `web_language`: the names the firmware ships. */
const SNOM: Record<string, string> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Francais',
  es: 'Espanol',
  it: 'Italiano',
  nl: 'Dutch',
  pt: 'Portugues',
  sv: 'Svenska',
  da: 'Dansk',
  nb: 'Norsk',
  no: 'Norsk',
  fi: 'Suomi',
  pl: 'Polski',
  cs: 'Cestina',
  tr: 'Turkce',
  ru: 'Russian',
};

/* Fanvil `DefaultLanguage` index (firmware 2.x language list, as used by wazo-provd-plugins). */
const FANVIL: Record<string, string> = {
  en: '0',
  nl: '3',
  fr: '5',
  es: '6',
  it: '7',
  de: '16',
};

function base(language: string): string {
  return language.trim().toLowerCase().split(/[-_]/)[0] ?? '';
}

export function yealinkLanguage(language: string): string | undefined {
  return YEALINK[base(language)];
}
export function polyLanguage(language: string): string | undefined {
  return POLY[base(language)];
}
export function ciscoMppLanguage(language: string): { selection: string; locale: string } | undefined {
  return CISCO_MPP[base(language)];
}
export function ciscoEnterpriseLanguage(language: string): { name: string; langCode: string } | undefined {
  return CISCO_ENTERPRISE[base(language)];
}
export function grandstreamLanguage(language: string): string | undefined {
  const code = base(language);
  return GRANDSTREAM.has(code) ? code : undefined;
}
export function snomLanguage(language: string): string | undefined {
  return SNOM[base(language)];
}
export function fanvilLanguage(language: string): string | undefined {
  return FANVIL[base(language)];
}

export function unsupportedLanguageWarning(vendor: string, language: string): string {
  return `language "${language}" has no ${vendor} equivalent; the phone keeps its own language`;
}
