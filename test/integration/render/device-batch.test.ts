import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetRender } from '#src/modules/pipeline/renderer.registry.js';
import type { RenderTarget } from '#src/modules/pipeline/render-target.entity.js';
import { knownModelIds, modelInfo, VENDOR_FAMILIES, type VendorFamily } from '#src/modules/render/device/index.js';
import { deviceBatchRenderer } from '#src/modules/render/targets/device-batch.renderer.js';
import { deviceTargetRenderer } from '#src/modules/render/targets/device-target.renderer.js';
import { seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import {
  ADMIN_PASSWORD,
  created,
  createDevice,
  fork,
  PASSWORD_A,
  PASSWORD_C,
  PHONE_URL,
  seedScenario,
  targetOf,
  type Scenario,
} from './render-scenario.js';

let ctx: TestContext;
let t: SeededTenant;
let s: Scenario;
let u: SeededTenant;
let us: Scenario;
const batch = deviceBatchRenderer({ publicPhoneUrl: PHONE_URL });
// The single-device path reads through the ORM, query by query: the reference the batch must match.
const single = deviceTargetRenderer({ publicPhoneUrl: PHONE_URL });

/** A model of the vendor with at least two lines, so the PhoneMap line 2 exists. */
const twoLineModel = (vendor: VendorFamily) =>
  knownModelIds(vendor).find((model) => modelInfo(vendor, model).lines >= 2)!;

let nextTargetId = 1000;
const targetFor = (tenantId: string, deviceId: string): RenderTarget =>
  ({ ...targetOf('device', tenantId, deviceId), id: String(nextTargetId++) }) as RenderTarget;

async function singleRender(target: RenderTarget): Promise<TargetRender | Error> {
  try {
    return await single(fork(ctx), target);
  } catch (error) {
    return error as Error;
  }
}

function comparable(result: TargetRender | Error | undefined) {
  if (result === undefined) return 'missing';
  if (result instanceof Error) return { error: result.message };
  return {
    warnings: result.warnings,
    files: result.files.map((file) => ({ ...file, body: file.body.toString('base64') })),
  };
}

beforeAll(async () => {
  ctx = await createTestContext({ PROVD_PUBLIC_PHONE_URL: PHONE_URL });
  t = await seedTenant(ctx, 'batch-dev');
  s = await seedScenario(t);
  u = await seedTenant(ctx, 'batch-dev-us', { defaultCountry: 'US' });
  us = await seedScenario(u);
});
afterAll(async () => ctx?.close());

describe('device batch renderer', () => {
  it('renders a mixed batch byte for byte as the single-device path does, a failing target failing alone', async () => {
    const targets: RenderTarget[] = [];
    const add = (tenant: SeededTenant, deviceId: string) => {
      const target = targetFor(tenant.tenant.id, deviceId);
      targets.push(target);
      return target;
    };
    let mac = 0x10;
    const nextMac = () => `00:15:65:ba:00:${(mac++).toString(16).padStart(2, '0')}`;

    // Every vendor family, two lines each (line 2 bound to the PhoneMap group "night").
    for (const vendor of VENDOR_FAMILIES) add(t, await createDevice(s, nextMac(), vendor, twoLineModel(vendor)));
    // A profile of its own with a raw key, a first line that is the PhoneMap line, a device without lines.
    const own = created(
      await s.admin.post(s.api('/profiles'), {
        name: 'Own',
        settings: { sipTransport: 'udp', sipPort: 5070, timeZone: 'America/New_York' },
        rawKeys: { yealink: { 'features.dnd.enable': '1' } },
      }),
    );
    add(t, await createDevice(s, nextMac(), 'yealink', 'T46S', { profileId: own.id, overrides: { language: 'fr' } }));
    add(
      t,
      await createDevice(s, nextMac(), 'cisco-mpp', 'CP-8841', {
        lines: [
          { index: 1, phonemapGroupId: 'night' },
          { index: 3, accountId: s.accounts.b },
        ],
      }),
    );
    add(t, await createDevice(s, nextMac(), 'poly', twoLineModel('poly'), { lines: [] }));
    // Pending and disabled devices render nothing.
    add(t, await createDevice(s, nextMac(), 'yealink', 'T46S', { status: 'pending' }));
    add(t, await createDevice(s, nextMac(), 'yealink', 'T46S', { status: 'disabled' }));
    // A failing target in the middle: a raw key Yealink's key grammar refuses.
    const broken = created(
      await s.admin.post(s.api('/profiles'), { name: 'Broken', rawKeys: { yealink: { '9bad.key': '1' } } }),
    );
    const failing = add(t, await createDevice(s, nextMac(), 'yealink', 'T46S', { profileId: broken.id }));
    // Account A as an extra member of "Other": the "Other book" becomes visible on its devices.
    const extra = await createDevice(s, nextMac(), 'snom', 'D785', { lines: [{ index: 1, accountId: s.accounts.b }] });
    created(await s.admin.post(s.api(`/groups/${s.groups.other}/members`), { accountId: s.accounts.b }));
    add(t, extra);
    // A second tenant (US dialling prefixes) in the same batch.
    for (const vendor of ['yealink', 'grandstream', 'gigaset'] as const)
      add(u, await createDevice(us, nextMac(), vendor, twoLineModel(vendor)));
    // A device named by a forged target of another tenant, and a device that does not exist.
    add(u, targets[0]!.refId);
    add(t, randomUUID());

    const results = await batch(fork(ctx), targets);
    expect(results.size).toBe(targets.length);
    for (const target of targets) {
      expect(comparable(results.get(target.id)), `target ${target.id}`).toEqual(comparable(await singleRender(target)));
    }

    const failure = results.get(failing.id);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/^yealink: raw key "9bad\.key" is not a valid key name$/);
    const rendered = targets.filter((target) => target !== failing).map((target) => results.get(target.id));
    expect(rendered.every((result) => !(result instanceof Error))).toBe(true);
    // The batch did render real files: every vendor, the PhoneMap line with the active member's credentials.
    const yealink = results.get(targets[0]!.id) as TargetRender;
    expect(yealink.files[0]!.body.toString('utf8')).toContain(`account.1.password = ${PASSWORD_A}\n`);
    expect(yealink.files[0]!.body.toString('utf8')).toContain(`account.2.password = ${PASSWORD_C}\n`);
    expect(yealink.files[0]!.body.toString('utf8')).toContain(
      `static.security.user_password = admin:${ADMIN_PASSWORD}\n`,
    );
    expect((results.get(targets.at(-1)!.id) as TargetRender).files).toEqual([]);
    expect((results.get(targets.at(-2)!.id) as TargetRender).files).toEqual([]);
  });

  it('follows a PhoneMap switch, and a batch of one equals the single-device path', async () => {
    const id = await createDevice(s, '00:15:65:ba:01:01', 'yealink', 'T46S');
    created(await s.admin.post(s.api(`/phonemap-groups/night/members/${s.accounts.d}/activate`)), 200);
    try {
      const target = targetFor(t.tenant.id, id);
      const result = (await batch(fork(ctx), [target])).get(target.id) as TargetRender;
      expect(result.files[0]!.body.toString('utf8')).toContain('account.2.user_name = u302\n');
      expect(comparable(result)).toEqual(comparable(await singleRender(target)));
    } finally {
      created(await s.admin.post(s.api(`/phonemap-groups/night/members/${s.accounts.c}/activate`)), 200);
    }
  });

  it('keeps credentials out of an error that fails the whole batch', async () => {
    const id = await createDevice(s, '00:15:65:ba:01:02', 'yealink', 'T46S');
    const target = targetFor(t.tenant.id, id);
    // A manager whose knex fails on the statement after the lines (with their passwords) were read.
    const em = fork(ctx);
    const knex = em.getKnex();
    const failingKnex = new Proxy(knex, {
      get(target, property, receiver) {
        if (property !== 'transaction') return Reflect.get(target, property, receiver);
        return (work: (trx: unknown) => Promise<unknown>, config: unknown) =>
          knex.transaction(async (trx) => {
            let statements = 0;
            const wrapped = new Proxy(trx, {
              get(inner, name, innerReceiver) {
                if (name !== 'raw') return Reflect.get(inner, name, innerReceiver);
                return async (sql: string, params: unknown[]) => {
                  const result = await inner.raw(sql, params);
                  if (++statements === 4) throw new Error(`driver said: bad value ${PASSWORD_A} near ${PASSWORD_C}`);
                  return result;
                };
              },
            });
            return work(wrapped);
          }, config as never);
      },
    });
    const result = (
      await batch(
        new Proxy(em, {
          get: (inner, name, receiver) => (name === 'getKnex' ? () => failingKnex : Reflect.get(inner, name, receiver)),
        }),
        [target],
      )
    ).get(target.id);
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toBe('driver said: bad value [secret] near [secret]');
  });
});
