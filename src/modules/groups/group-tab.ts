import type { EntityManager } from '@mikro-orm/postgresql';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { groupList } from './group-list.js';

/** Members shown per group as initials; the rest are counted ("+N"). */
const INITIALS_SHOWN = 8;

export interface GroupTabRow {
  id: string;
  name: string;
  members: { initials: string; name: string }[];
  moreMembers: number;
  numbers: { e164: string; country: string | null; flag: string | null }[];
}

/** "Ada Park" → "AP", "mia" → "M"; letters of any script, never markup (the view escapes). */
export function initialsOf(name: string): string {
  const words = name
    .trim()
    .split(/\s+/)
    .filter((word) => /\p{L}|\p{N}/u.test(word));
  const letter = (word: string) => (word.match(/[\p{L}\p{N}]/u)?.[0] ?? '').toUpperCase();
  if (words.length === 0) return '?';
  return words.length === 1 ? letter(words[0]!) : letter(words[0]!) + letter(words[words.length - 1]!);
}

/** The country of an E.164 number from its prefix (libphonenumber-js metadata), with its flag as regional indicators. */
export function countryOf(e164: string): { country: string | null; flag: string | null } {
  const country = parsePhoneNumberFromString(e164)?.country ?? null;
  if (!country) return { country: null, flag: null };
  const flag = String.fromCodePoint(...[...country].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
  return { country, flag };
}

/**
 * One page of the Groups tab: the REST list query (name search, number filter, one query plus one
 * COUNT), then one batched query for the members of the page's groups and one for their shared numbers.
 */
export async function groupTabPage(
  em: EntityManager,
  tenant: Tenant,
  query: { q?: string; number?: string[]; limit: number; offset: number },
) {
  const list = await groupList(em, tenant, query);
  const ids = list.items.map((group) => group.id);
  const members =
    ids.length === 0
      ? []
      : await em.execute<{ group_id: string; display_name: string; total: string }[]>(
          `select group_id, display_name, total from (
       select x.group_id, a.display_name,
              row_number() over (partition by x.group_id order by a.extension, a.id) as rn,
              count(*) over (partition by x.group_id) as total
         from (select a.home_group_id as group_id, a.id as account_id from accounts a where a.home_group_id in (?)
               union select m.group_id, m.account_id from group_members m where m.group_id in (?)) x
         join accounts a on a.id = x.account_id) r
     where rn <= ? order by group_id, rn`,
          [ids, ids, INITIALS_SHOWN],
        );
  const numbers =
    ids.length === 0
      ? []
      : await em.execute<{ group_id: string; e164: string }[]>(
          `select s.group_id, n.e164 from group_shared_numbers s join phone_numbers n on n.id = s.number_id
      where s.group_id in (?) order by n.e164`,
          [ids],
        );
  const rows: GroupTabRow[] = list.items.map((group) => {
    const mine = members.filter((member) => member.group_id === group.id);
    return {
      id: group.id,
      name: group.name,
      members: mine.map((member) => ({ initials: initialsOf(member.display_name), name: member.display_name })),
      moreMembers: mine.length === 0 ? 0 : Number(mine[0]!.total) - mine.length,
      numbers: numbers
        .filter((number) => number.group_id === group.id)
        .map((number) => ({ e164: number.e164, ...countryOf(number.e164) })),
    };
  });
  return { rows, total: list.total };
}

/** The Phone numbers filter's choices: the tenant's numbers shared with a group (first 500). */
export async function sharedNumberChoices(em: EntityManager, tenant: Tenant): Promise<string[]> {
  const rows = await em.execute<{ e164: string }[]>(
    `select distinct n.e164 from group_shared_numbers s join phone_numbers n on n.id = s.number_id
      where n.tenant_id = ? order by n.e164 limit 500`,
    [tenant.id],
  );
  return rows.map((row) => row.e164);
}
