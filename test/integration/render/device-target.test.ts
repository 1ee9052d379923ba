import { validateXML } from 'xmllint-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererRegistry } from '#src/app/renderers.js';
import { ArtifactEvents } from '#src/modules/pipeline/artifact-events.js';
import { deviceTarget } from '#src/modules/pipeline/fanout.types.js';
import { pipelineMetrics } from '#src/modules/pipeline/pipeline.metrics.js';
import { renderTarget, type RenderHandlerDeps } from '#src/modules/pipeline/render-target.handler.js';
import type { TargetRender } from '#src/modules/pipeline/renderer.registry.js';
import { bumpTargets } from '#src/modules/pipeline/targets.js';
import { deviceTargetRenderer } from '#src/modules/render/targets/device-target.renderer.js';
import { seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import {
  ADMIN_PASSWORD,
  created,
  createDevice,
  fork,
  PASSWORD_A,
  PASSWORD_B,
  PASSWORD_C,
  PASSWORD_D,
  PHONE_URL,
  seedScenario,
  sql,
  targetOf,
  xmlValue,
  type Scenario,
} from './render-scenario.js';

let ctx: TestContext;
let t: SeededTenant;
let s: Scenario;
let directoryToken: string;
const renderDevice = deviceTargetRenderer({ publicPhoneUrl: PHONE_URL });
const render = (deviceId: string): Promise<TargetRender> =>
  renderDevice(fork(ctx), targetOf('device', t.tenant.id, deviceId));
const text = (result: TargetRender, index = 0) => result.files[index]!.body.toString('utf8');

beforeAll(async () => {
  ctx = await createTestContext({ PROVD_PUBLIC_PHONE_URL: `${PHONE_URL}/` });
  t = await seedTenant(ctx, 'render-dev');
  s = await seedScenario(t);
  [{ directory_token: directoryToken }] = await sql<{ directory_token: string }>(
    ctx,
    `select directory_token from tenants where id = ?`,
    [t.tenant.id],
  );
});
afterAll(async () => ctx?.close());

describe('device target renderer', () => {
  it('renders both lines of a Yealink with their own credentials, TLS, the phonebooks the device sees and the admin password', async () => {
    const id = await createDevice(s, '00:15:65:aa:bb:01', 'yealink', 'T46S');
    const result = await render(id);
    expect(result.files.map((file) => [file.servePath, file.contentType, file.carriesSecrets])).toEqual([
      ['001565aabb01/001565aabb01.cfg', 'text/plain; charset=utf-8', true],
    ]);
    const cfg = text(result);
    expect(cfg).toContain(`account.1.user_name = u201\n`);
    expect(cfg).toContain(`account.1.password = ${PASSWORD_A}\n`);
    expect(cfg).toContain(`account.1.display_name = Zoë "Z" O'Brien & < > " ' ( ) ;\n`);
    expect(cfg).toContain(`account.1.sip_server.1.transport_type = 2\n`);
    expect(cfg).toContain(`account.1.sip_server.1.port = 5061\n`);
    expect(cfg).toContain(`account.2.user_name = u301\n`);
    expect(cfg).toContain(`account.2.password = ${PASSWORD_C}\n`);
    expect(cfg).toContain(`account.2.label = Night\n`);
    expect(cfg).not.toContain(PASSWORD_B);
    expect(cfg).not.toContain(PASSWORD_D);
    expect(cfg).toContain(`static.security.user_password = admin:${ADMIN_PASSWORD}\n`);
    // Internal directory first, then the default book, then the visible group books by name; "Other book" is not visible.
    expect(cfg).toContain(`remote_phonebook.data.1.url = ${PHONE_URL}/pb/${directoryToken}/yealink.xml\n`);
    expect(cfg).toContain(`remote_phonebook.data.1.name = Internal directory\n`);
    expect(cfg).toContain(`remote_phonebook.data.2.url = ${PHONE_URL}/pb/${s.tokens.all}/yealink.xml\n`);
    expect(cfg).toContain(`remote_phonebook.data.3.url = ${PHONE_URL}/pb/${s.tokens.night}/yealink.xml\n`);
    expect(cfg).toContain(`remote_phonebook.data.4.url = ${PHONE_URL}/pb/${s.tokens.sales}/yealink.xml\n`);
    expect(cfg).not.toContain(s.tokens.other);
    for (const word of ['undefined', 'null', '[object']) expect(cfg).not.toContain(word);
    expect((await render(id)).files[0]!.body.equals(result.files[0]!.body)).toBe(true);
  });

  it('escapes credentials and names in an XML profile (Cisco MPP) that a strict parser accepts', async () => {
    const id = await createDevice(s, '00:56:2b:aa:bb:02', 'cisco-mpp', 'CP-8841');
    const result = await render(id);
    expect(result.files.map((file) => file.servePath)).toEqual(['00562baabb02/00562baabb02.xml']);
    const file = result.files[0]!;
    const parsed = await validateXML({
      xml: [{ fileName: 'profile.xml', contents: file.body.toString('utf8') }],
      normalization: 'c14n',
    });
    expect(parsed.errors).toEqual([]);
    const xml = file.body.toString('utf8');
    expect(xmlValue(xml, 'User_ID_1_')).toBe('u201');
    expect(xmlValue(xml, 'Password_1_')).toBe(PASSWORD_A);
    expect(xmlValue(xml, 'Display_Name_1_')).toBe(`Zoë "Z" O'Brien & < > " ' ( ) ;`);
    expect(xmlValue(xml, 'User_ID_2_')).toBe('u301');
    expect(xmlValue(xml, 'Password_2_')).toBe(PASSWORD_C);
    expect(xmlValue(xml, 'SIP_Transport_1_')).toBe('TLS');
    expect(xmlValue(xml, 'Proxy_1_')).toBe('sip.example.net:5061');
    expect(xmlValue(xml, 'Admin_Password')).toBe(ADMIN_PASSWORD);
    expect(xmlValue(xml, 'XML_Directory_Service_URL')).toBe(`${PHONE_URL}/pb/${directoryToken}/cisco.xml`);
    expect(file.carriesSecrets).toBe(true);
  });

  it('renders the PhoneMap line with the active member and follows a switch', async () => {
    const id = await createDevice(s, '00:15:65:aa:bb:03', 'yealink', 'T46S');
    expect(text(await render(id))).toContain(`account.2.password = ${PASSWORD_C}\n`);
    created(await s.admin.post(s.api(`/phonemap-groups/night/members/${s.accounts.d}/activate`)), 200);
    const after = text(await render(id));
    expect(after).toContain(`account.2.user_name = u302\n`);
    expect(after).toContain(`account.2.password = ${PASSWORD_D}\n`);
    expect(after).not.toContain(PASSWORD_C);
    created(await s.admin.post(s.api(`/phonemap-groups/night/members/${s.accounts.c}/activate`)), 200);
    expect(text(await render(id))).toContain(`account.2.user_name = u301\n`);
  });

  it('renders nothing for a pending or disabled device, and again files once it is active', async () => {
    const id = await createDevice(s, '00:15:65:aa:bb:04', 'yealink', 'T46S', { status: 'pending' });
    expect(await render(id)).toEqual({ files: [], warnings: [] });
    created(await s.admin.patch(s.api(`/devices/${id}`), { status: 'disabled' }), 200);
    expect(await render(id)).toEqual({ files: [], warnings: [] });
    created(await s.admin.patch(s.api(`/devices/${id}`), { status: 'active' }), 200);
    expect((await render(id)).files).toHaveLength(1);
  });

  it('renders nothing for a device of another tenant named by a forged target', async () => {
    const id = await createDevice(s, '00:15:65:aa:bb:05', 'yealink', 'T46S');
    const other = await seedTenant(ctx, 'render-dev-other');
    expect(await renderDevice(fork(ctx), targetOf('device', other.tenant.id, id))).toEqual({ files: [], warnings: [] });
  });

  it('keeps the device file to the model: lines beyond its count are dropped with a warning', async () => {
    const id = await createDevice(s, '00:56:2b:aa:bb:06', 'cisco-mpp', 'CP-7811', {
      lines: [{ index: 1, accountId: s.accounts.b }],
    });
    await sql(
      ctx,
      `insert into device_lines (id, tenant_id, device_id, line_index, account_id, created_at, updated_at) values (gen_random_uuid(), ?, ?, 2, ?, now(), now())`,
      [t.tenant.id, id, s.accounts.a],
    );
    const result = await render(id);
    expect(result.warnings.some((warning) => warning.includes('line 2 dropped'))).toBe(true);
    expect(result.files[0]!.body.toString('utf8')).not.toContain('pwA&amp;');
  });
});

describe('device target through the render handler', () => {
  it('fails only the target with a clear message free of secrets, and keeps the previous artifacts', async () => {
    const id = await createDevice(s, '00:15:65:aa:bb:10', 'yealink', 'T46S');
    const handlerDeps: RenderHandlerDeps = {
      orm: ctx.deps.orm,
      queues: ctx.deps.queues,
      renderers: rendererRegistry({ publicPhoneUrl: PHONE_URL }),
      events: new ArtifactEvents(ctx.deps.redis, ctx.config.queuePrefix),
      metrics: pipelineMetrics(ctx.deps.metrics.registry),
      logger: ctx.deps.logger,
    };
    const bump = () =>
      ctx.deps.orm.em.getKnex().transaction((trx) => bumpTargets(trx, [deviceTarget(t.tenant.id, id)]));
    const [target] = await bump();
    expect(await renderTarget(handlerDeps, target!.id)).toMatchObject({ status: 'rendered', generation: '1' });
    const artifacts = () =>
      sql<{ serve_path: string; sha256: string; generation: string; body: Buffer }>(
        ctx,
        `select serve_path, sha256, generation, body from artifacts where target_id = ? order by serve_path`,
        [target!.id],
      );
    const before = await artifacts();
    expect(before.map((row) => row.serve_path)).toEqual(['001565aabb10/001565aabb10.cfg']);

    // Keys may start with a digit by the profile schema, but not by Yealink's key grammar.
    const broken = created(
      await s.admin.post(s.api('/profiles'), { name: 'Broken keys', rawKeys: { yealink: { '9bad.key': '1' } } }),
    );
    created(await s.admin.patch(s.api(`/devices/${id}`), { profileId: broken.id }), 200);
    await bump();
    await expect(renderTarget(handlerDeps, target!.id)).rejects.toThrow(/raw key "9bad\.key" is not a valid key name/);
    const [state] = await sql<{ state: string; last_error: string; rendered_gen: string; desired_gen: string }>(
      ctx,
      `select state, last_error, rendered_gen, desired_gen from render_targets where id = ?`,
      [target!.id],
    );
    expect(state).toMatchObject({ state: 'failed', rendered_gen: '1', desired_gen: '2' });
    expect(state!.last_error).toMatch(/^yealink: raw key "9bad\.key" is not a valid key name$/);
    for (const secret of [PASSWORD_A, PASSWORD_C, ADMIN_PASSWORD]) expect(state!.last_error).not.toContain(secret);
    expect(await artifacts()).toEqual(before);

    created(await s.admin.patch(s.api(`/devices/${id}`), { profileId: null }), 200);
    await bump();
    expect(await renderTarget(handlerDeps, target!.id)).toMatchObject({ status: 'unchanged', generation: '3' });
    const [recovered] = await sql<{ state: string; last_error: string | null }>(
      ctx,
      `select state, last_error from render_targets where id = ?`,
      [target!.id],
    );
    expect(recovered).toEqual({ state: 'ok', last_error: null });
  });
});
