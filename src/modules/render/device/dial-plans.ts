import { RenderError, type DialPlanInput, type VendorFamily } from './render.types.js';

/**
 * Class of service → dialling restriction. The phone-side rule is a convenience (the user hears
 * "forbidden" at once instead of a PBX rejection); the PBX must still enforce the class of
 * service, because '+' dialling and URI dialling are outside these digit patterns.
 *
 * Prefix rules use longest-prefix-wins: with national '0' barred and international '00' allowed,
 * "00…" is allowed and "0[1-9]…" is barred.
 */

/** A digit region: `prefix`, then (when set) one digit of `digits`, then anything. */
export interface DigitRegion {
  prefix: string;
  digits?: string;
}

interface PrefixRule {
  prefix: string;
  allow: boolean;
}

const ALL_DIGITS = '0123456789';
const PREFIX = /^[0-9]{1,6}$/;

function rulesOf(plan: DialPlanInput): PrefixRule[] {
  const international = plan.internationalPrefix ?? '00';
  const national = plan.nationalPrefix ?? '0';
  if (!PREFIX.test(international) || !PREFIX.test(national) || international === national) {
    throw new RenderError(`class of service "${plan.name}": dial prefixes must be 1-6 digits and differ`);
  }
  return [
    { prefix: national, allow: plan.allowNational },
    { prefix: international, allow: plan.allowInternational },
  ];
}

/** Drops rules that only repeat what their nearest shorter prefix (or the default: allow) says. */
function significant(rules: PrefixRule[]): PrefixRule[] {
  const inherited = (rule: PrefixRule): boolean =>
    rules
      .filter((r) => r.prefix.length < rule.prefix.length && rule.prefix.startsWith(r.prefix))
      .sort((a, b) => b.prefix.length - a.prefix.length)[0]?.allow ?? true;
  return rules.filter((rule) => rule.allow !== inherited(rule));
}

function regions(allRules: PrefixRule[], wanted: boolean): DigitRegion[] {
  const rules = significant(allRules);
  const walk = (prefix: string, inherited: boolean): DigitRegion[] => {
    const here = rules.find((r) => r.prefix === prefix);
    const state = here ? here.allow : inherited;
    const deeper = rules.filter((r) => r.prefix.length > prefix.length && r.prefix.startsWith(prefix));
    if (deeper.length === 0) return state === wanted ? [{ prefix }] : [];
    const branching = [...new Set(deeper.map((r) => r.prefix[prefix.length]!))].sort();
    const rest = [...ALL_DIGITS].filter((d) => !branching.includes(d)).join('');
    const out: DigitRegion[] = state === wanted && rest ? [{ prefix, digits: rest }] : [];
    for (const digit of branching) out.push(...walk(prefix + digit, state));
    return out;
  };
  return walk('', true);
}

export function isRestricted(plan: DialPlanInput): boolean {
  return !plan.allowInternational || !plan.allowNational;
}

export function barredRegions(plan: DialPlanInput): DigitRegion[] {
  return regions(rulesOf(plan), false);
}

export function allowedRegions(plan: DialPlanInput): DigitRegion[] {
  return regions(rulesOf(plan), true);
}

/** "123456789" → "1-9", "0235" → "02-35"-style ranges for digit-map character classes. */
export function digitClass(digits: string): string {
  const sorted = [...new Set(digits)].sort();
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && Number(sorted[j + 1]) === Number(sorted[j]) + 1) j += 1;
    parts.push(j - i >= 2 ? `${sorted[i]}-${sorted[j]}` : sorted.slice(i, j + 1).join(''));
    i = j + 1;
  }
  return `[${parts.join('')}]`;
}

export function regionPattern(region: DigitRegion): string {
  return region.prefix + (region.digits ? digitClass(region.digits) : '');
}

export function vendorPattern(plan: DialPlanInput | undefined, vendor: VendorFamily): string | undefined {
  return plan?.vendorPatterns?.[vendor];
}

export function unsupportedDialPlanWarning(plan: DialPlanInput, vendor: VendorFamily): string {
  return `class of service "${plan.name}" cannot be enforced on ${vendor} phones; the PBX must enforce it`;
}
