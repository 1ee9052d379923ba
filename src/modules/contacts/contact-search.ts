import { createHash } from 'node:crypto';
import { normaliseE164 } from '../numbers/e164.js';
import { dedupeKey, type NormalisedContact } from './io/contact-draft.js';
import { foldForComparison } from './io/contact-text.js';

/**
 * What contact search matches against: folded (case- and accent-free) names, company, title and
 * email, then every number as bare digits. One text column keeps search to one trigram index.
 */
export function searchTextFor(contact: NormalisedContact): string {
  const words = [contact.firstName, contact.lastName, contact.company, contact.title, contact.email]
    .map(foldForComparison)
    .filter((w) => w.length > 0);
  const digits = contact.numbers.map((n) => n.number.replace(/\D/g, ''));
  return [...words, ...digits].join(' ');
}

/** The io layer's duplicate key, hashed to a fixed width so it can be indexed. */
export function storedDedupeKey(contact: NormalisedContact): string {
  return createHash('sha1').update(dedupeKey(contact)).digest('base64');
}

/**
 * One search term: every alternative is a substring of search_text that counts as a match.
 * A query that looks like a phone number is one term, matched on its digits (and on its E.164
 * digits under the tenant's country, so "030 1234567" finds +49301234567). Anything else is
 * split into words that must all match.
 */
export type SearchTerm = string[];

const PHONE_LIKE = /^[0-9+()\-./\s]+$/;

export function searchTerms(query: string, defaultCountry?: string | null): SearchTerm[] {
  const trimmed = query.trim();
  if (trimmed.length === 0) return [];
  const digits = trimmed.replace(/\D/g, '');
  if (PHONE_LIKE.test(trimmed) && digits.length >= 3) {
    const alternatives = new Set([digits]);
    const e164 = normaliseE164(trimmed, defaultCountry ?? undefined);
    if (e164.ok) alternatives.add(e164.e164.slice(1));
    return [[...alternatives]];
  }
  return foldForComparison(trimmed)
    .split(' ')
    .filter((word) => word.length > 0)
    .map((word) => [word]);
}
