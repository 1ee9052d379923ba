/**
 * Reads that run side by side on the pool run one after another inside a transaction: pg
 * deprecates (and pg 9 refuses) a query sent to a client still busy with the previous one, and a
 * transaction owns one client. Each service below was called from a transaction (console writes,
 * bulk actions) with its reads in a Promise.all.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Device } from '#src/model/directory/device.entity.js';
import { deviceViews } from '#src/modules/devices/device.view.js';
import { importDevices } from '#src/modules/devices/import/device-import.service.js';
import { createContact, listContacts } from '#src/modules/contacts/contacts.service.js';
import { internalDirectory } from '#src/modules/phonebooks/internal-directory.js';
import { tenantImpact } from '#src/modules/tenants/tenants.service.js';
import { createAccount } from '#src/modules/accounts/accounts.service.js';
import { createClassOfService } from '#src/modules/classes-of-service/classes-of-service.service.js';
import { createGroup } from '#src/modules/groups/groups.service.js';
import { createHuntGroup, huntGroupImpact, huntGroupViews } from '#src/modules/hunt-groups/hunt-groups.service.js';
import {
  createPhoneMapGroup,
  deletePhoneMapGroup,
  findPhoneMapGroup,
  phonemapImpact,
} from '#src/modules/phonemap-groups/phonemap-groups.service.js';
import { addPhoneMapMember } from '#src/modules/phonemap-groups/phonemap-members.service.js';
import { seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

describe('independent reads inside a transaction', () => {
  let ctx: TestContext;
  let seeded: SeededTenant;
  const warnings: string[] = [];
  const onWarning = (warning: Error & { code?: string }) =>
    warnings.push(`${warning.code ?? warning.name}: ${warning.message}`);

  // pg's deprecation notice fires once per process (util.deprecate), so every query sent to a
  // client that is still busy (what the notice reports) is counted as well.
  type Busy = { _activeQuery?: unknown; _queryQueue?: unknown[] };
  const original = pg.Client.prototype.query;
  let busySends = 0;

  beforeAll(async () => {
    ctx = await createTestContext();
    seeded = await seedTenant(ctx, 'reads-tx');
    process.on('warning', onWarning);
    pg.Client.prototype.query = function (this: Busy, ...args: unknown[]) {
      if (this._activeQuery || (this._queryQueue?.length ?? 0) > 0) busySends += 1;
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
  });
  afterAll(async () => {
    pg.Client.prototype.query = original;
    process.off('warning', onWarning);
    await ctx?.close();
  });
  beforeEach(() => {
    busySends = 0;
  });

  it('send one query at a time and return what the pool would', async () => {
    const em = ctx.deps.orm.em.fork() as EntityManager;
    const tenant = seeded.tenant;
    const outside = await em.transactional(async (tx) => {
      const created = await createContact(tx as EntityManager, tenant, {
        firstName: 'Ada',
        lastName: 'Lovelace',
        numbers: [{ type: 'work', number: '+49301234567' }],
      });
      await importDevices(tx as EntityManager, tenant, 'mac,vendor\n0015651a2b3c,yealink\n', {
        dryRun: false,
        atomic: true,
      });
      const devices = await tx.find(Device, { tenant });
      const views = await deviceViews(tx as EntityManager, devices, false);
      const listed = await listContacts(tx as EntityManager, tenant, { limit: 10, offset: 0 });
      const directory = await internalDirectory(tx as EntityManager, tenant, { limit: 10, offset: 0 });
      const impact = await tenantImpact(tx as EntityManager, tenant);
      return { created, views, listed, directory, impact };
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).toEqual([]);
    expect(busySends).toBe(0);
    expect(outside.created).toMatchObject({ firstName: 'Ada', numbers: [{ type: 'work', number: '+49301234567' }] });
    expect(outside.views.map((view) => view.mac)).toEqual(['0015651a2b3c']);
    expect(outside.listed).toMatchObject({ total: 1, items: [{ id: outside.created.id }] });
    expect(outside.directory.total).toBe(0);
    expect(outside.impact).toEqual({ groups: 0, accounts: 0, numbers: 0, devices: 1 });
    // The same reads outside a transaction (side by side on the pool) give the same answers.
    const fresh = ctx.deps.orm.em.fork() as EntityManager;
    expect(await listContacts(fresh, tenant, { limit: 10, offset: 0 })).toEqual(outside.listed);
    expect(await tenantImpact(fresh, tenant)).toEqual(outside.impact);
  });

  it('PhoneMap and hunt group impact and views (the PhoneMap delete reads its impact in its own transaction)', async () => {
    const em = ctx.deps.orm.em.fork() as EntityManager;
    const tenant = seeded.tenant;
    const cos = await createClassOfService(em, tenant, { name: 'National', level: 'national' });
    const group = await createGroup(em, tenant, { name: 'Office' });
    const { account } = await createAccount(em, tenant, { groupId: group.id, extension: '201', displayName: 'Ann' });
    await createPhoneMapGroup(em, tenant, { id: 'night', name: 'Night', classOfServiceId: cos.id });
    await addPhoneMapMember(em, tenant, 'night', account.id);
    const hunt = await createHuntGroup(em, tenant, { name: 'Sales', memberAccountIds: [account.id] });
    const inside = await em.transactional(async (tx) => {
      const phonemap = await phonemapImpact(
        tx as EntityManager,
        tenant,
        await findPhoneMapGroup(tx as EntityManager, tenant, 'night'),
      );
      const views = await huntGroupViews(tx as EntityManager, [hunt]);
      const huntImpact = await huntGroupImpact(tx as EntityManager, tenant, hunt);
      return { phonemap, views, huntImpact };
    });
    const deleted = await deletePhoneMapGroup(ctx.deps.orm.em.fork() as EntityManager, tenant, 'night', true);
    expect(busySends).toBe(0);
    expect(inside.phonemap).toEqual({ members: 1, deviceLines: 0, devices: [] });
    expect(deleted).toEqual(inside.phonemap);
    expect(inside.views[0]!.members.map((member) => member.extension)).toEqual(['201']);
    expect(inside.huntImpact).toEqual({ numbers: [], autoAttendantOptions: [], members: 1 });
  });
});
