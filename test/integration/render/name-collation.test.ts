import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryEntries } from '#src/modules/render/targets/directory-entries.js';
import {
  directoryTargetRenderer,
  phonebookTargetRenderer,
} from '#src/modules/render/targets/phonebook-target.renderer.js';
import { seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { fork, PHONE_URL, targetOf } from './render-scenario.js';

// Names sort alphabetically (Unicode root collation), not by byte value: with byte order,
// lower-case names and Ä/É came after Z in the lists and in the files the phones show.
const SHUFFLED = ['zeta', 'Émile', 'Ärger', 'Bob', 'alice'];
const SORTED = ['alice', 'Ärger', 'Bob', 'Émile', 'zeta'];

let ctx: TestContext;
let t: SeededTenant;
const api = (path: string) => `/api/v1/tenants/${t.slug}${path}`;

/** Names in the order a rendered XML file holds them, from the first of the given attributes/elements. */
function namesIn(xml: string, pattern: RegExp): string[] {
  return [...xml.matchAll(pattern)].map((m) => m[1]!);
}

beforeAll(async () => {
  ctx = await createTestContext({ PROVD_PUBLIC_PHONE_URL: PHONE_URL });
  t = await seedTenant(ctx, 'collation');
});
afterAll(async () => ctx?.close());

describe('names in alphabetical order', () => {
  it('orders contacts alphabetically in the API lists and in the rendered phonebook', async () => {
    const book = (await t.admin.post(api('/phonebooks'), { name: 'Sorted' })).body;
    for (const [i, lastName] of SHUFFLED.entries()) {
      const made = await t.admin.post(api('/contacts'), {
        lastName,
        numbers: [{ type: 'work', number: `+4930123450${i}` }],
        phonebookIds: [book.id],
      });
      expect(made.status).toBe(201);
    }
    const listed = (await t.viewer.get(api('/contacts?limit=50'))).body.items.map(
      (c: { lastName: string }) => c.lastName,
    );
    expect(listed).toEqual(SORTED);
    const inBook = (await t.viewer.get(api(`/phonebooks/${book.id}/contacts?limit=50`))).body.items.map(
      (c: { lastName: string }) => c.lastName,
    );
    expect(inBook).toEqual(SORTED);

    const rendered = await phonebookTargetRenderer({ publicPhoneUrl: PHONE_URL })(
      fork(ctx),
      targetOf('phonebook', t.tenant.id, book.id, 'yealink'),
    );
    const xml = rendered.files[0]!.body.toString('utf8');
    expect(namesIn(xml, /<Name>([^<]*)<\/Name>/g)).toEqual(SORTED);
  });

  it('orders accounts, hunt groups and groups alphabetically in the internal directory (API and rendered)', async () => {
    const group = (await t.admin.post(api('/groups'), { name: 'Staff' })).body;
    for (const [i, displayName] of SHUFFLED.entries()) {
      expect(
        (await t.admin.post(api('/accounts'), { groupId: group.id, extension: `20${i}`, displayName })).status,
      ).toBe(201);
    }
    const listed = (await t.viewer.get(api('/phonebooks/internal?limit=50'))).body.items.map(
      (e: { name: string }) => e.name,
    );
    expect(listed).toEqual(SORTED);
    const streamed = [];
    for await (const entry of directoryEntries(ctx.deps.orm.em.getKnex(), t.tenant.id, 2))
      streamed.push(entry.lastName);
    expect(streamed).toEqual(SORTED);
    const rendered = await directoryTargetRenderer({ publicPhoneUrl: PHONE_URL })(
      fork(ctx),
      targetOf('directory', t.tenant.id, t.tenant.id, 'yealink'),
    );
    expect(namesIn(rendered.files[0]!.body.toString('utf8'), /<Name>([^<]*)<\/Name>/g)).toEqual(SORTED);
  });

  it('orders groups and phonebooks alphabetically in their lists', async () => {
    for (const name of SHUFFLED) {
      expect((await t.admin.post(api('/groups'), { name: `${name} team` })).status).toBe(201);
      expect((await t.admin.post(api('/phonebooks'), { name: `${name} book` })).status).toBe(201);
    }
    const groups = (await t.viewer.get(api('/groups?limit=50'))).body.items
      .map((g: { name: string }) => g.name)
      .filter((n: string) => n.endsWith(' team'));
    expect(groups).toEqual(SORTED.map((n) => `${n} team`));
    const books = (await t.viewer.get(api('/phonebooks?limit=50'))).body.items
      .map((b: { name: string }) => b.name)
      .filter((n: string) => n.endsWith(' book'));
    expect(books).toEqual(SORTED.map((n) => `${n} book`));
  });
});
