/**
 * The one rule for every name-like field (tenants, groups, phonebooks, PhoneMap groups, hunt groups,
 * auto attendants, classes of service, profiles, tokens, account display names, line labels): no
 * leading or trailing white space, not blank, no control characters. Rejecting instead of trimming
 * keeps "HQ Building " from becoming a near-duplicate of "HQ Building" (a 400 validation_failed
 * naming the field), and a blank name from ever reaching a phone file as an empty title.
 */
export const NAME_PATTERN = '^[^\\s\\p{Cc}](?:[^\\p{Cc}]*[^\\s\\p{Cc}])?$';
export const NAME_REGEXP = new RegExp(NAME_PATTERN, 'u');
