import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoContent } from '../../../scripts/stack/demo-content.js';
import { ConsoleUser } from '#src/modules/console/console-user.entity.js';
import { checkCredentials } from '#src/modules/console/console-users.service.js';
import { DEMO_ADMIN_EMAIL, seedDemo } from '#src/modules/tenants/demo-seed.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

const TOKEN = 'pvd_demo-content-test-token-0123456789';
const PASSWORD = 'demo password for the test';

describe('the demo tenant npm start seeds', () => {
  let ctx: TestContext;
  let url: string;
  // Every process warning while the API fills the tenant and edits it, e.g. pg's deprecation of a
  // second query sent on a client still busy (Promise.all of reads inside one transaction).
  const warnings: string[] = [];
  const onWarning = (warning: Error & { code?: string }) =>
    warnings.push(`${warning.code ?? warning.name}: ${warning.message}`);

  beforeAll(async () => {
    process.on('warning', onWarning);
    ctx = await createTestContext();
    url = await ctx.admin.listen({ host: '127.0.0.1', port: 0 });
    await seedDemo(ctx.deps.orm.em.fork(), { demoAdminToken: TOKEN, demoAdminPassword: PASSWORD });
  });
  afterAll(async () => {
    process.off('warning', onWarning);
    await ctx?.close();
  });

  it('has a console owner who can sign in, and a second seed keeps a changed password', async () => {
    const em = ctx.deps.orm.em.fork();
    expect(await checkCredentials(em, DEMO_ADMIN_EMAIL, PASSWORD)).not.toBeNull();
    await seedDemo(ctx.deps.orm.em.fork(), { demoAdminToken: TOKEN, demoAdminPassword: 'another password entirely' });
    expect(await em.fork().count(ConsoleUser, { email: DEMO_ADMIN_EMAIL })).toBe(1);
    expect(await checkCredentials(em.fork(), DEMO_ADMIN_EMAIL, PASSWORD)).not.toBeNull();
  });

  it('fills the tenant through the API once: groups, accounts with numbers, PhoneMap, hunt group, auto attendant, contacts, a phone per family', async () => {
    expect(await seedDemoContent(url, TOKEN)).toBe(true);
    const get = async (path: string): Promise<any> =>
      (await fetch(`${url}/api/v1/tenants/demo${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
    expect((await get('/groups')).total).toBe(3);
    expect((await get('/accounts')).total).toBe(8);
    expect((await get('/numbers?status=assigned')).total).toBeGreaterThanOrEqual(9);
    expect((await get('/phonemap-groups')).items[0].members).toHaveLength(2);
    expect((await get('/hunt-groups')).total).toBe(1);
    expect((await get('/auto-attendants')).total).toBe(1);
    expect((await get('/contacts')).total).toBe(6);
    expect((await get('/phonebooks')).total).toBe(2);
    // The demo's default profile sets every required setting.
    expect(await get('/readiness')).toMatchObject({ ready: true, missing: [] });
    const devices = (await get('/devices?limit=50')).items as { vendor: string }[];
    expect(new Set(devices.map((device) => device.vendor)).size).toBe(8);
    // A second start finds the groups and leaves the tenant as the admin left it.
    expect(await seedDemoContent(url, TOKEN)).toBe(false);
    expect((await get('/accounts')).total).toBe(8);
  });

  it('fills and edits the tenant without a process warning', async () => {
    const call = async (method: string, path: string, body?: unknown): Promise<any> => {
      const response = await fetch(`${url}/api/v1/tenants/demo${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      expect(response.status, `${method} ${path}`).toBeLessThan(300);
      return response.status === 204 ? null : response.json();
    };
    const [contact] = (await call('GET', '/contacts?limit=1')).items;
    await call('PATCH', `/contacts/${contact.id}`, { title: 'Edited' });
    const [device] = (await call('GET', '/devices?limit=1')).items;
    await call('PATCH', `/devices/${device.id}`, { status: 'disabled' });
    const [group] = (await call('GET', '/groups?limit=1')).items;
    await call('PATCH', `/groups/${group.id}`, { address: { city: 'Edited' } });
    const [phonebook] = (await call('GET', '/phonebooks?limit=1')).items;
    await call('PATCH', `/phonebooks/${phonebook.id}`, { name: 'Edited book' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).toEqual([]);
  });
});
