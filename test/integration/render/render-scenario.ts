import type { EntityManager } from '@mikro-orm/postgresql';
import { expect } from 'vitest';
import type { RenderTarget, TargetKind } from '#src/modules/pipeline/render-target.entity.js';
import type { ApiClient, ApiResponse, SeededTenant } from '../../helpers/api.js';
import type { TestContext } from '../../helpers/context.js';

/** Characters that break XML and config formats, in names and in passwords. */
export const HAZARD = `& < > " ' ( ) ;`;
export const PASSWORD_A = `pwA&<>"'();-Zoe1`;
export const PASSWORD_B = `pwB;'"<>&()-2222`;
export const PASSWORD_C = `pwC-active-3333&`;
export const PASSWORD_D = `pwD-standby-4444<`;
export const ADMIN_PASSWORD = `Adm&<>"'();1`;
export const PHONE_URL = 'https://phones.example.net';

export function created(response: ApiResponse, status = 201): any {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  return response.body;
}

export interface Scenario {
  api: (path: string) => string;
  admin: ApiClient;
  groups: { sales: string; night: string; other: string };
  accounts: { a: string; b: string; c: string; d: string };
  phonebooks: { all: string; sales: string; night: string; other: string };
  /** Token of each phonebook, by the same keys. */
  tokens: Record<'all' | 'sales' | 'night' | 'other', string>;
  profileId: string;
}

/**
 * A tenant with a TLS default profile, two groups of accounts, a PhoneMap group (C active, D
 * standby), four phonebooks (all, Sales only, Night only, another group only) and contacts with
 * hazardous names. Everything goes through the admin API, as an admin would do it.
 */
export async function seedScenario(t: SeededTenant): Promise<Scenario> {
  const api = (path: string) => `/api/v1/tenants/${t.slug}${path}`;
  const admin = t.admin;
  const profile = created(
    await admin.post(api('/profiles'), {
      name: 'Base',
      settings: {
        sipServer: 'sip.example.net',
        sipTransport: 'tls',
        ntpServer: 'ntp.example.net',
        timeZone: 'Europe/Berlin',
        language: 'de',
        adminPassword: ADMIN_PASSWORD,
      },
    }),
  );
  created(await admin.put(api(`/profiles/${profile.id}/default`)), 200);
  const cos = created(await admin.post(api('/classes-of-service'), { name: 'National', level: 'national' }));
  const group = async (name: string) =>
    created(await admin.post(api('/groups'), { name, classOfServiceId: cos.id })).id as string;
  const groups = {
    sales: await group(`Sales ${HAZARD}`),
    night: await group('Night desk'),
    other: await group('Other'),
  };
  const account = async (groupId: string, extension: string, displayName: string, sipPassword: string) =>
    created(
      await admin.post(api('/accounts'), {
        groupId,
        extension,
        displayName,
        sipPassword,
        sipUsername: `u${extension}`,
      }),
    ).id as string;
  const accounts = {
    a: await account(groups.sales, '201', `Zoë "Z" O'Brien ${HAZARD}`, PASSWORD_A),
    b: await account(groups.sales, '202', 'Bob Builder', PASSWORD_B),
    c: await account(groups.night, '301', 'Carla Night', PASSWORD_C),
    d: await account(groups.night, '302', 'Dan Night', PASSWORD_D),
  };
  created(await admin.post(api('/phonemap-groups'), { id: 'night', name: 'Night line', classOfServiceId: cos.id }));
  created(await admin.post(api('/phonemap-groups/night/members'), { accountId: accounts.c }));
  created(await admin.post(api('/phonemap-groups/night/members'), { accountId: accounts.d }));

  const book = async (name: string, body: Record<string, unknown>) =>
    created(await admin.post(api('/phonebooks'), { name, ...body }));
  const books = {
    all: await book('All Company Contacts', { isDefault: true }),
    sales: await book(`Sales book ${HAZARD}`, { visibility: 'groups', groupIds: [groups.sales] }),
    night: await book('Night book', { visibility: 'groups', groupIds: [groups.night] }),
    other: await book('Other book', { visibility: 'groups', groupIds: [groups.other] }),
  };
  const contact = async (body: Record<string, unknown>) => created(await admin.post(api('/contacts'), body));
  await contact({
    firstName: 'Ada',
    lastName: `Lovelace ${HAZARD}`,
    company: 'Analytical & Co',
    numbers: [
      { type: 'work', number: '+4930123456' },
      { type: 'mobile', number: '+491701234567' },
    ],
  });
  await contact({
    firstName: 'Émile',
    lastName: 'Zola',
    numbers: [{ type: 'home', number: '+33140000000' }],
    phonebookIds: [books.sales.id],
  });
  await contact({
    company: 'Only Company <GmbH>',
    numbers: [{ type: 'work', number: '+4989000000' }],
    phonebookIds: [books.sales.id],
  });
  await contact({
    firstName: '中文',
    lastName: 'Ünïcödé 😀',
    numbers: [{ type: 'work', number: '+4940111111' }],
    phonebookIds: [books.night.id],
  });
  return {
    api,
    admin,
    groups,
    accounts,
    phonebooks: { all: books.all.id, sales: books.sales.id, night: books.night.id, other: books.other.id },
    tokens: { all: books.all.token, sales: books.sales.token, night: books.night.token, other: books.other.token },
    profileId: profile.id,
  };
}

/** A device through the API: line 1 = account A, line 2 = PhoneMap group "night". */
export async function createDevice(
  s: Scenario,
  mac: string,
  vendor: string,
  model: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  return created(
    await s.admin.post(s.api('/devices'), {
      mac,
      vendor,
      model,
      lines: [
        { index: 1, accountId: s.accounts.a },
        { index: 2, phonemapGroupId: 'night', label: 'Night' },
      ],
      ...extra,
    }),
  ).id;
}

/** A stand-in target row for calling a renderer directly (renderers read only these fields). */
export function targetOf(
  kind: TargetKind,
  tenantId: string,
  refId: string,
  format: string | null = null,
): RenderTarget {
  return {
    id: '0',
    targetKey: `${kind}:${refId}:${format ?? ''}`,
    tenantId,
    kind,
    refId,
    format,
    desiredGen: '1',
    renderedGen: '0',
    state: 'pending',
    failures: 0,
    updatedAt: new Date(),
  } as RenderTarget;
}

export function fork(ctx: TestContext): EntityManager {
  return ctx.deps.orm.em.fork() as EntityManager;
}

export async function sql<T = Record<string, any>>(
  ctx: TestContext,
  query: string,
  params: unknown[] = [],
): Promise<T[]> {
  return (await ctx.deps.orm.em.getKnex().raw(query, params)).rows as T[];
}

/** Text of a flat XML element such as `<Password_1_ ua="na">…</Password_1_>`, entities decoded. */
export function xmlValue(xml: string, element: string): string | undefined {
  const match = new RegExp(`<${element}(?: [^>]*)?>([^<]*)</${element}>`).exec(xml);
  if (!match) return undefined;
  return match[1]!
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
