import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNIQUE_CONSTRAINT_CODES } from '#src/errors/unique-constraints.js';
import { countRows, seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

/**
 * Limits, unique values and phonebook memberships written by two admins at the same moment
 * (really parallel requests): exactly one may win, and the loser gets the same 409 code a
 * sequential request would get (never the generic duplicate-key `conflict`, never a 500).
 */
let ctx: TestContext;
let t: SeededTenant;
let group: string;
const api = (path: string) => `/api/v1/tenants/lrace/${path}`;
let next = 100;
const ROUNDS = 5;

beforeAll(async () => {
  ctx = await createTestContext();
  t = await seedTenant(ctx, 'lrace', { defaultCountry: 'DE' });
  group = (await t.admin.post(api('groups'), { name: 'G' })).body.id;
});
afterAll(async () => ctx?.close());

const statuses = (responses: { status: number }[]) => responses.map((r) => r.status).sort();
const loser = (responses: { status: number; body: any }[]) => responses.find((r) => r.status === 409)?.body.code;

async function race(first: () => Promise<{ status: number; body: any }>, second = first) {
  return Promise.all([first(), second()]);
}

describe('limits and unique values under concurrency', () => {
  it('two account creations when one licence is left: exactly one 201, one 409 account_limit_reached', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const s = await seedTenant(ctx, `lrace-limit-${round}`, { maxAccounts: 2 });
      const g = (await s.admin.post(`/api/v1/tenants/${s.slug}/groups`, { name: 'G' })).body.id;
      expect(
        (await s.admin.post(`/api/v1/tenants/${s.slug}/accounts`, { groupId: g, extension: '100', displayName: 'A' }))
          .status,
      ).toBe(201);
      const responses = await race(
        () => s.admin.post(`/api/v1/tenants/${s.slug}/accounts`, { groupId: g, extension: '101', displayName: 'B' }),
        () => s.admin.post(`/api/v1/tenants/${s.slug}/accounts`, { groupId: g, extension: '102', displayName: 'C' }),
      );
      expect(statuses(responses)).toEqual([201, 409]);
      expect(loser(responses)).toBe('account_limit_reached');
      expect(await countRows(ctx, 'accounts', 'tenant_id = ?', [s.tenant.id])).toBe(2);
    }
  });

  it('the same extension twice at once (account/account, account/hunt group): one 201, one 409 extension_taken', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const extension = String(next++);
      const twice = await race(() => t.admin.post(api('accounts'), { groupId: group, extension, displayName: 'X' }));
      expect(statuses(twice)).toEqual([201, 409]);
      expect(loser(twice)).toBe('extension_taken');
      const other = String(next++);
      const mixed = await race(
        () => t.admin.post(api('accounts'), { groupId: group, extension: other, displayName: 'Y' }),
        () => t.admin.post(api('hunt-groups'), { name: `Hunt ${other}`, extension: other }),
      );
      expect(statuses(mixed)).toEqual([201, 409]);
      expect(loser(mixed)).toBe('extension_taken');
    }
  });

  it('the same name twice at once (groups, phonebooks, hunt groups, profiles): one 201, one 409 with the name code', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const cases: [string, Record<string, unknown>, string][] = [
        ['groups', { name: `Team ${round}` }, 'group_name_taken'],
        ['phonebooks', { name: `Book ${round}` }, 'phonebook_name_taken'],
        ['hunt-groups', { name: `Queue ${round}` }, 'hunt_group_name_taken'],
        ['profiles', { name: `Profile ${round}` }, 'name_taken'],
      ];
      for (const [path, body, code] of cases) {
        const responses = await race(() => t.admin.post(api(path), body));
        expect(statuses(responses), path).toEqual([201, 409]);
        expect(loser(responses), path).toBe(code);
      }
    }
  });

  it('two default phonebooks at once: one 201, one 409 default_phonebook_exists', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const s = await seedTenant(ctx, `lrace-default-${round}`);
      const responses = await race(
        () => s.admin.post(`/api/v1/tenants/${s.slug}/phonebooks`, { name: 'One', isDefault: true }),
        () => s.admin.post(`/api/v1/tenants/${s.slug}/phonebooks`, { name: 'Two', isDefault: true }),
      );
      expect(statuses(responses)).toEqual([201, 409]);
      expect(loser(responses)).toBe('default_phonebook_exists');
    }
  });

  it('the same MAC twice at once: one 201, one 409 mac_taken', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const mac = `00:15:65:70:00:${String(10 + round)}`;
      const responses = await race(() => t.admin.post(api('devices'), { mac, vendor: 'yealink' }));
      expect(statuses(responses)).toEqual([201, 409]);
      expect(loser(responses)).toBe('mac_taken');
    }
  });
});

describe('unique constraint codes', () => {
  it('name only constraints and unique indexes that exist in the schema', async () => {
    const { rows } = await ctx.deps.orm.em
      .getKnex()
      .raw(
        `select conname as name from pg_constraint where contype = 'u' union select indexname from pg_indexes where schemaname = 'public'`,
      );
    const existing = new Set(rows.map((r: { name: string }) => r.name));
    expect(Object.keys(UNIQUE_CONSTRAINT_CODES).filter((name) => !existing.has(name))).toEqual([]);
  });
});

describe('phonebook memberships under concurrency', () => {
  it('the same contact added to a phonebook twice at once: both 200, one row, changed 1 in total', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const book = (await t.admin.post(api('phonebooks'), { name: `Members ${round}` })).body.id;
      const contact = (
        await t.admin.post(api('contacts'), {
          lastName: `C${round}`,
          numbers: [{ type: 'work', number: `+49301234${String(next++).padStart(4, '0')}` }],
        })
      ).body.id;
      const responses = await race(() => t.admin.post(api(`phonebooks/${book}/contacts`), { contactIds: [contact] }));
      expect(statuses(responses), JSON.stringify(responses.map((r) => r.body))).toEqual([200, 200]);
      expect(responses.map((r) => r.body.changed).sort()).toEqual([0, 1]);
      expect(await countRows(ctx, 'phonebook_contacts', 'phonebook_id = ?', [book])).toBe(1);
    }
  });
});
