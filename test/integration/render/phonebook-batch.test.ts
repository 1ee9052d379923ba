import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetRender, TargetRenderer } from '#src/modules/pipeline/renderer.registry.js';
import type { RenderTarget, TargetKind } from '#src/modules/pipeline/render-target.entity.js';
import { PHONEBOOK_FORMATS } from '#src/modules/render/phonebook/index.js';
import {
  directoryBatchRenderer,
  phonebookBatchRenderer,
} from '#src/modules/render/targets/phonebook-batch.renderer.js';
import {
  directoryTargetRenderer,
  phonebookTargetRenderer,
} from '#src/modules/render/targets/phonebook-target.renderer.js';
import { seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { created, fork, PHONE_URL, seedScenario, sql, targetOf, type Scenario } from './render-scenario.js';

let ctx: TestContext;
let t: SeededTenant;
let s: Scenario;
const options = { publicPhoneUrl: PHONE_URL };
const books = phonebookBatchRenderer(options);
const directories = directoryBatchRenderer(options);
// The single-target renderers stream each variant on its own: the reference the batch must match.
const singleBook = phonebookTargetRenderer(options);
const singleDirectory = directoryTargetRenderer(options);

let nextTargetId = 5000;
function target(kind: TargetKind, tenantId: string, refId: string, format: string): RenderTarget {
  return { ...targetOf(kind, tenantId, refId, format), id: String(nextTargetId++) } as RenderTarget;
}

async function single(renderer: TargetRenderer, of: RenderTarget): Promise<TargetRender | Error> {
  try {
    return await renderer(fork(ctx), of);
  } catch (error) {
    return error as Error;
  }
}

/** Bytes as hex so a mismatch shows which file differs, not a buffer dump. */
function comparable(outcome: TargetRender | Error | undefined): unknown {
  if (outcome === undefined) return 'missing';
  if (outcome instanceof Error) return { error: outcome.message };
  return {
    warnings: outcome.warnings,
    files: outcome.files.map((file) => ({ ...file, body: file.body.toString('base64') })),
  };
}

/** Counts the statements the database receives while `run` runs (every query of the shared pool). */
async function countingQueries<T>(run: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
  const knex = ctx.deps.orm.em.getKnex();
  const queries: string[] = [];
  const listener = (query: { sql: string }) => queries.push(query.sql);
  knex.on('query', listener);
  try {
    return { result: await run(), queries };
  } finally {
    knex.removeListener('query', listener);
  }
}

beforeAll(async () => {
  ctx = await createTestContext({ PROVD_PUBLIC_PHONE_URL: PHONE_URL });
  t = await seedTenant(ctx, 'render-pb-batch');
  s = await seedScenario(t);
  // More than one page of entries (1,000 per query), so the held list is built from several reads.
  const bigBook = created(await s.admin.post(s.api('/phonebooks'), { name: 'Batch & <big> book' }));
  s.phonebooks.other = bigBook.id;
  await sql(
    ctx,
    `
    with c as (
      insert into contacts (id, tenant_id, first_name, last_name, company, search_text, dedupe_key, created_at, updated_at)
      select gen_random_uuid(), ?, 'Fïrst ' || (g % 7), 'Last <' || (g % 50) || '> & Co', case when g % 3 = 0 then 'Ç "q" ' || g end, '', md5('b' || g::text), now(), now()
        from generate_series(1, 1500) g
      returning id, tenant_id)
    , n as (insert into contact_numbers (id, tenant_id, contact_id, type, number, position, created_at, updated_at)
      select gen_random_uuid(), tenant_id, id, t.type, '+49301' || lpad((row_number() over (order by id, t.type))::text, 6, '0'), t.position, now(), now()
        from c cross join (values ('work', 0), ('mobile', 1)) as t(type, position))
    insert into phonebook_contacts (id, tenant_id, phonebook_id, contact_id, created_at, updated_at)
    select gen_random_uuid(), tenant_id, ?, id, now(), now() from c`,
    [t.tenant.id, bigBook.id],
  );
});
afterAll(async () => ctx?.close());

describe('phonebook batch renderer', () => {
  it('renders every format of several books byte for byte like the single-target renderer', async () => {
    const bookIds = [s.phonebooks.sales, s.phonebooks.all, s.phonebooks.other];
    const targets = bookIds.flatMap((id) =>
      PHONEBOOK_FORMATS.map((format) => target('phonebook', t.tenant.id, id, format)),
    );
    const results = await books(fork(ctx), targets);
    expect(results.size).toBe(targets.length);
    for (const of of targets) {
      const outcome = results.get(of.id);
      expect(outcome, of.targetKey).not.toBeInstanceOf(Error);
      expect((outcome as TargetRender).files.length, of.targetKey).toBeGreaterThan(0);
      expect(comparable(outcome), of.targetKey).toEqual(comparable(await single(singleBook, of)));
    }
    const bigCisco = results.get(
      targets.find((of) => of.refId === s.phonebooks.other && of.format === 'cisco')!.id,
    ) as TargetRender;
    expect(bigCisco.files.length).toBe(Math.ceil(3000 / 32) + 1);
  });

  it('reads each book once for all its formats, in one read-only repeatable-read transaction', async () => {
    const targets = PHONEBOOK_FORMATS.map((format) => target('phonebook', t.tenant.id, s.phonebooks.other, format));
    const { result, queries } = await countingQueries(() => books(fork(ctx), targets));
    expect([...result.values()].every((outcome) => !(outcome instanceof Error))).toBe(true);
    // 3,000 numbers on 1,500 contacts: two pages of contacts (and an empty third), each with its numbers.
    expect(queries.filter((query) => /from contacts c/.test(query))).toHaveLength(2);
    expect(queries.filter((query) => /from phonebooks/.test(query))).toHaveLength(1);
    expect(queries.filter((query) => /^BEGIN/i.test(query))).toEqual([
      'BEGIN TRANSACTION ISOLATION LEVEL repeatable read READ ONLY;',
    ]);
  });

  it('renders nothing for a book that is gone or belongs to another tenant, beside books that exist', async () => {
    const other = await seedTenant(ctx, 'render-pb-batch-other');
    const gone = target('phonebook', t.tenant.id, randomUUID(), 'yealink');
    const foreign = target('phonebook', other.tenant.id, s.phonebooks.sales, 'poly');
    const present = target('phonebook', t.tenant.id, s.phonebooks.sales, 'yealink');
    const results = await books(fork(ctx), [gone, foreign, present]);
    expect(results.get(gone.id)).toEqual({ files: [], warnings: [] });
    expect(results.get(foreign.id)).toEqual({ files: [], warnings: [] });
    expect(comparable(results.get(present.id))).toEqual(comparable(await single(singleBook, present)));
  });

  it('fails only the target whose format fails', async () => {
    const unknown = target('phonebook', t.tenant.id, s.phonebooks.sales, 'vcard');
    const fine = PHONEBOOK_FORMATS.map((format) => target('phonebook', t.tenant.id, s.phonebooks.sales, format));
    const results = await books(fork(ctx), [unknown, ...fine]);
    expect(results.get(unknown.id)).toBeInstanceOf(Error);
    expect((results.get(unknown.id) as Error).message).toMatch(/unknown phonebook format "vcard"/);
    for (const of of fine) expect(results.get(of.id), of.targetKey).not.toBeInstanceOf(Error);

    // A base URL too long for Cisco's 256-character URLs fails the Cisco render alone.
    const longUrl = `https://${'p'.repeat(240)}.example.net`;
    const longBooks = phonebookBatchRenderer({ publicPhoneUrl: longUrl });
    const cisco = target('phonebook', t.tenant.id, s.phonebooks.sales, 'cisco');
    const yealink = target('phonebook', t.tenant.id, s.phonebooks.sales, 'yealink');
    const longResults = await longBooks(fork(ctx), [cisco, yealink]);
    expect(longResults.get(cisco.id)).toBeInstanceOf(Error);
    expect((longResults.get(cisco.id) as Error).message).toMatch(/base URL/);
    expect((longResults.get(yealink.id) as TargetRender).files).toHaveLength(1);
  });

  it('refuses a target of another kind without failing the rest', async () => {
    const device = target('device', t.tenant.id, randomUUID(), 'yealink');
    const book = target('phonebook', t.tenant.id, s.phonebooks.sales, 'fanvil');
    const results = await books(fork(ctx), [device, book]);
    expect(results.get(device.id)).toBeInstanceOf(Error);
    expect((results.get(book.id) as TargetRender).files).toHaveLength(1);
  });
});

describe('internal directory batch renderer', () => {
  it('renders every format byte for byte like the single-target renderer, and nothing for a foreign refId', async () => {
    const targets = PHONEBOOK_FORMATS.map((format) => target('directory', t.tenant.id, t.tenant.id, format));
    const mismatched = target('directory', t.tenant.id, s.phonebooks.all, 'yealink');
    const { result: results, queries } = await countingQueries(() => directories(fork(ctx), [...targets, mismatched]));
    for (const of of targets) {
      expect((results.get(of.id) as TargetRender).files.length, of.targetKey).toBeGreaterThan(0);
      expect(comparable(results.get(of.id)), of.targetKey).toEqual(comparable(await single(singleDirectory, of)));
    }
    expect(results.get(mismatched.id)).toEqual({ files: [], warnings: [] });
    expect(queries.filter((query) => /from accounts a/.test(query))).toHaveLength(1);
  });
});
