/**
 * ISO 639-1 language → each vendor's own language value (the tables are in
 * src/modules/vendors/<family>/<family>.locale.ts). A language a vendor table does not know
 * renders nothing (the phone keeps its language) and records a warning; guessing a value would
 * make some phones reject the whole file.
 */

/** `de-AT`, `de_AT`, ` DE ` → `de`: the tables are keyed by the bare ISO 639-1 code. */
export function languageBase(language: string): string {
  return language.trim().toLowerCase().split(/[-_]/)[0] ?? '';
}

export function unsupportedLanguageWarning(vendor: string, language: string): string {
  return `language "${language}" has no ${vendor} equivalent; the phone keeps its own language`;
}
