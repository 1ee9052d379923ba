import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererRegistry } from '#src/app/renderers.js';
import { ArtifactEvents } from '#src/modules/pipeline/artifact-events.js';
import { deviceTarget, directoryTarget, phonebookTarget } from '#src/modules/pipeline/fanout.types.js';
import { pipelineMetrics } from '#src/modules/pipeline/pipeline.metrics.js';
import { renderTarget, type RenderHandlerDeps } from '#src/modules/pipeline/render-target.handler.js';
import { bumpTargets } from '#src/modules/pipeline/targets.js';
import { seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import {
  ADMIN_PASSWORD,
  created,
  createDevice,
  PASSWORD_A,
  PHONE_URL,
  seedScenario,
  sql,
  type Scenario,
} from './render-scenario.js';

let ctx: TestContext;
let t: SeededTenant;
let s: Scenario;
let other: SeededTenant;
let handlerDeps: RenderHandlerDeps;

/** Creates (or bumps) the targets and renders them through the handler, as the render worker does. */
async function renderAll(specs: Parameters<typeof bumpTargets>[1]): Promise<void> {
  const bumped = await ctx.deps.orm.em.getKnex().transaction((trx) => bumpTargets(trx, specs));
  for (const target of bumped) await renderTarget(handlerDeps, target.id);
}

beforeAll(async () => {
  ctx = await createTestContext({ PROVD_PUBLIC_PHONE_URL: PHONE_URL });
  t = await seedTenant(ctx, 'files-a');
  other = await seedTenant(ctx, 'files-b');
  s = await seedScenario(t);
  handlerDeps = {
    orm: ctx.deps.orm,
    queues: ctx.deps.queues,
    renderers: rendererRegistry({ publicPhoneUrl: PHONE_URL }),
    events: new ArtifactEvents(ctx.deps.redis, ctx.config.queuePrefix),
    metrics: pipelineMetrics(ctx.deps.metrics.registry),
    logger: ctx.deps.logger,
  };
});
afterAll(async () => ctx?.close());

describe('GET devices/{id}/files', () => {
  it('lists the device files and its phonebook variants with hashes, sizes and generations', async () => {
    const id = await createDevice(s, '00:04:f2:aa:bb:01', 'cisco-enterprise', 'CP-8841');
    const url = s.api(`/devices/${id}/files`);
    const before = created(await t.admin.get(url), 200);
    expect(before).toMatchObject({
      deviceId: id,
      mac: '0004f2aabb01',
      vendor: 'cisco-enterprise',
      status: 'active',
      render: null,
      files: [],
    });
    expect(before.phonebooks.map((book: any) => [book.kind, book.name, book.format])).toEqual([
      ['directory', 'Internal directory', 'cisco'],
      ['phonebook', 'All Company Contacts', 'cisco'],
      ['phonebook', 'Night book', 'cisco'],
      ['phonebook', `Sales book & < > " ' ( ) ;`, 'cisco'],
    ]);
    expect(before.phonebooks[1].url).toBe(`${PHONE_URL}/pb/${s.tokens.all}/cisco.xml`);

    await renderAll([
      deviceTarget(t.tenant.id, id),
      directoryTarget(t.tenant.id, 'cisco'),
      phonebookTarget(t.tenant.id, s.phonebooks.all, 'cisco'),
    ]);
    const listed = created(await t.admin.get(url), 200);
    const [stored] = await sql<{ sha256: string; size: number }>(
      ctx,
      `select sha256, octet_length(body) as size from artifacts where serve_path = '0004f2aabb01/sep0004f2aabb01.cnf.xml'`,
    );
    expect(listed.render).toMatchObject({
      desiredGen: '1',
      renderedGen: '1',
      upToDate: true,
      state: 'ok',
      lastError: null,
    });
    expect(listed.files).toEqual([
      expect.objectContaining({
        name: 'SEP0004F2AABB01.cnf.xml',
        servePath: '0004f2aabb01/sep0004f2aabb01.cnf.xml',
        contentType: 'text/xml; charset=utf-8',
        sha256: stored!.sha256,
        size: stored!.size,
        generation: '1',
        carriesSecrets: true,
      }),
    ]);
    expect(listed.phonebooks[1].render).toMatchObject({ renderedGen: '1', upToDate: true });
    expect(listed.phonebooks[1].files.map((file: any) => file.name)).toEqual(
      expect.arrayContaining(['cisco.xml', 'cisco-1.xml']),
    );
    expect(listed.phonebooks[1].files.every((file: any) => file.carriesSecrets === false)).toBe(true);
    expect(listed.phonebooks[2].render).toBeNull();

    await ctx.deps.orm.em.getKnex().transaction((trx) => bumpTargets(trx, [deviceTarget(t.tenant.id, id)]));
    expect(created(await t.admin.get(url), 200).render).toMatchObject({
      desiredGen: '2',
      renderedGen: '1',
      upToDate: false,
    });
  });

  it('previews a file by name in any case with its stored bytes and content type, to admins and owners', async () => {
    const id = await createDevice(s, '00:04:f2:aa:bb:02', 'cisco-enterprise', 'CP-8841');
    await renderAll([deviceTarget(t.tenant.id, id)]);
    const [stored] = await sql<{ body: Buffer }>(
      ctx,
      `select body from artifacts where serve_path = '0004f2aabb02/sep0004f2aabb02.cnf.xml'`,
    );
    for (const client of [t.admin, t.owner]) {
      for (const name of ['SEP0004F2AABB02.cnf.xml', 'sep0004f2aabb02.cnf.xml']) {
        const response = await ctx.admin.inject({
          method: 'GET',
          url: s.api(`/devices/${id}/files/${name}`),
          headers: { authorization: `Bearer ${client === t.admin ? t.tokens.admin : t.tokens.owner}` },
        });
        expect(response.statusCode).toBe(200);
        expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.headers['content-disposition']).toBe('inline; filename="SEP0004F2AABB02.cnf.xml"');
        expect(response.rawPayload.equals(stored!.body)).toBe(true);
      }
    }
    const text = stored!.body.toString('utf8');
    expect(text).toContain('pwA&amp;&lt;&gt;&quot;&apos;();-Zoe1');
    expect(PASSWORD_A).toBe(`pwA&<>"'();-Zoe1`);
    expect(text).toContain(
      ADMIN_PASSWORD.replace('&', '&amp;')
        .replace('<', '&lt;')
        .replace('>', '&gt;')
        .replace('"', '&quot;')
        .replace("'", '&apos;'),
    );
    expect((await t.admin.get(s.api(`/devices/${id}/files/unknown.xml`))).status).toBe(404);
    expect((await t.admin.get(s.api(`/devices/${id}/files/..%2Fetc%2Fpasswd`))).status).toBe(400);
  });

  it('refuses viewers (403) for the list and the preview, and never shows them bytes', async () => {
    const id = await createDevice(s, '00:04:f2:aa:bb:03', 'cisco-enterprise', 'CP-8841');
    await renderAll([deviceTarget(t.tenant.id, id)]);
    const list = await t.viewer.get(s.api(`/devices/${id}/files`));
    const preview = await t.viewer.get(s.api(`/devices/${id}/files/SEP0004F2AABB03.cnf.xml`));
    for (const response of [list, preview]) {
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('role_insufficient');
      expect(response.raw).not.toContain('pwA');
    }
  });

  it('keeps tenants apart: another tenant sees neither the device nor its files', async () => {
    const id = await createDevice(s, '00:04:f2:aa:bb:04', 'cisco-enterprise', 'CP-8841');
    await renderAll([deviceTarget(t.tenant.id, id)]);
    // The device of tenant A through tenant B's path, and through tenant A's path with B's token.
    const viaOwnSlug = await other.owner.get(`/api/v1/tenants/${other.slug}/devices/${id}/files`);
    const viaForeignSlug = await other.owner.get(s.api(`/devices/${id}/files/SEP0004F2AABB04.cnf.xml`));
    const previewViaOwnSlug = await other.owner.get(
      `/api/v1/tenants/${other.slug}/devices/${id}/files/SEP0004F2AABB04.cnf.xml`,
    );
    expect([viaOwnSlug.status, viaForeignSlug.status, previewViaOwnSlug.status]).toEqual([404, 404, 404]);
    for (const response of [viaOwnSlug, viaForeignSlug, previewViaOwnSlug]) expect(response.raw).not.toContain('pwA');
  });

  it('shows a pending device with no files, and a failed render with its error', async () => {
    const pending = await createDevice(s, '00:04:f2:aa:bb:05', 'cisco-enterprise', 'CP-8841', { status: 'pending' });
    await renderAll([deviceTarget(t.tenant.id, pending)]);
    expect(created(await t.admin.get(s.api(`/devices/${pending}/files`)), 200)).toMatchObject({
      status: 'pending',
      files: [],
      render: { state: 'ok', upToDate: true },
    });

    const broken = created(
      await s.admin.post(s.api('/profiles'), { name: 'Bad model', settings: { sipTransport: 'tls' } }),
    );
    const id = await createDevice(s, '00:15:65:aa:bb:06', 'yealink', 'T46S', { profileId: broken.id });
    await sql(ctx, `update profiles set raw_keys = '{"yealink": {"-x": "1"}}'::jsonb where id = ?`, [broken.id]);
    await expect(renderAll([deviceTarget(t.tenant.id, id)])).rejects.toThrow(/raw key/);
    const listed = created(await t.admin.get(s.api(`/devices/${id}/files`)), 200);
    expect(listed.render).toMatchObject({ state: 'failed', upToDate: false, renderedGen: '0' });
    expect(listed.render.lastError).toMatch(/^yealink: raw key "-x" is not a valid key name$/);
    expect(listed.files).toEqual([]);
  });
});
