import type { FastifyReply } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadRequestError } from '../../errors/errors.js';
import { runAsActor } from '../audit/audit-actor.js';
import { effectiveContactPermissions } from '../contact-grants/contact-grants.service.js';
import type { ContactPermissionName } from '../../model/contacts/contact-permission.entity.js';
import { createContact } from '../contacts/contacts.service.js';
import type { CreateContactInput } from '../contacts/contacts.schemas.js';
import type { AppScreen } from '../phone/requested-file.js';
import type { PhoneRequest } from '../phone/server/phone-request.js';
import { queryValue } from '../phone/server/phone-request.js';
import type { PhoneServer } from '../phone/server/phone-server.js';
import { sendDynamic, sendNotFound } from '../phone/server/respond.js';
import { Tenant } from '../../model/directory/tenant.entity.js';
import { authenticatedDevice } from './app-auth.js';
import { bookIndexes, directoryRows, lineOneUser, matching, userPhonebooks, type AppUser } from './app-entries.js';
import { appFamilyOf, type AppFamily } from './app-families.js';
import type { AppPage, InputField } from './app-pages.types.js';

export interface AppRequest {
  mac: string;
  screen: AppScreen;
  tenantPrefix?: string;
}

const XML = 'text/xml; charset=utf-8';
const LETTERS = [...'abcdefghijklmnopqrstuvwxyz', '#'];
/** Input the phone sends back: the service's own limits decide, these only bound the request. */
const FIELD_MAX = 200;
const ADD_FIELDS = ['first', 'last', 'company', 'work', 'mobile'] as const;

interface Screen {
  server: PhoneServer;
  request: PhoneRequest;
  em: EntityManager;
  family: AppFamily;
  tenant: { id: string; directoryToken: string };
  user: AppUser;
  granted: readonly ContactPermissionName[];
  url: (screen: AppScreen, params?: Record<string, string>) => string;
}

/**
 * `/app/<mac>/<screen>.xml`: the "Company Contacts" app on the phone. The phone authenticates as
 * its device (Digest, like its config fetch; nothing secret in any URL); the user is the account
 * on line 1 and what they may do is effectiveContactPermissions, the function the API and the
 * console read. Browse and search need `view`, adding needs `add`; a refused screen is a 403 with
 * a screen saying so. Bad input gets a screen listing what is wrong, and nothing is written.
 */
export async function servePhoneApp(
  server: PhoneServer,
  request: PhoneRequest,
  file: AppRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const device = await authenticatedDevice(server, request, file, reply);
  if (!('secret' in device)) return device;
  const family = appFamilyOf(device.vendor);
  const tenant = server.tenants.byId(device.tenantId);
  if (!family || !tenant) return sendNotFound(reply);
  const em = server.orm.em.fork() as EntityManager;
  const base = `${server.urlFor(file.tenantPrefix)}/app/${device.mac}`;
  const url = (screen: AppScreen, params: Record<string, string> = {}) => {
    const query = new URLSearchParams(params).toString();
    return `${base}/${screen}.xml${query ? `?${query}` : ''}`;
  };
  const user = await lineOneUser(em, device.id);
  const granted = user ? (await effectiveContactPermissions(em, tenant.id, user.id)).permissions : [];
  const needed: ContactPermissionName = file.screen === 'add' || file.screen === 'save' ? 'add' : 'view';
  if (!user || !granted.includes(needed)) {
    const page: AppPage = {
      type: 'text',
      title: 'Company Contacts',
      text: user
        ? `${user.displayName} may not ${needed === 'add' ? 'add' : 'view'} company contacts.`
        : 'No user on line 1 of this phone.',
      back: granted.includes('view') ? url('menu') : 'SoftKey:Exit',
    };
    return reply.code(403).header('content-type', XML).header('cache-control', 'no-store').send(family.render(page));
  }
  const screen: Screen = { server, request, em, family, tenant, user, granted, url };
  const page = await SCREENS[file.screen](screen);
  return sendDynamic(reply, family.render(page), XML, request.head);
}

function param(screen: Screen, name: string): string {
  return queryValue(screen.request.query, name, FIELD_MAX)?.trim() ?? '';
}

function pageNumber(screen: Screen): number {
  const page = Number(param(screen, 'page') || '1');
  return Number.isInteger(page) && page >= 1 ? page : 1;
}

async function directory(
  screen: Screen,
  title: string,
  query: string,
  letter: string | undefined,
  params: Record<string, string>,
  back: string,
): Promise<AppPage> {
  const books = await userPhonebooks(screen.em, screen.tenant, screen.user.id);
  const indexes = await bookIndexes(
    screen.server,
    screen.em,
    screen.tenant.id,
    books.map((book) => book.id),
  );
  const rows = directoryRows(matching(indexes, query, letter));
  const size = screen.family.limits.pageRows;
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const current = Math.min(pages, pageNumber(screen));
  const target = letter === undefined ? 'results' : 'browse';
  return {
    type: 'directory',
    title,
    prompt: rows.length === 0 ? 'No match' : `Page ${current} of ${pages}`,
    rows: rows.slice((current - 1) * size, current * size),
    ...(current > 1 ? { previous: screen.url(target, { ...params, page: String(current - 1) }) } : {}),
    ...(current < pages ? { next: screen.url(target, { ...params, page: String(current + 1) }) } : {}),
    back,
  };
}

function addForm(screen: Screen, values: Record<string, string>): AppPage {
  const field = (label: string, param: string, kind: InputField['kind']): InputField => ({
    label,
    param,
    value: values[param] ?? '',
    kind,
  });
  return {
    type: 'input',
    title: 'Add contact',
    prompt: 'Name and number',
    url: screen.url('save'),
    fields: [
      field('First name', 'first', 'text'),
      field('Last name', 'last', 'text'),
      field('Company', 'company', 'text'),
      field('Work number', 'work', 'number'),
      field('Mobile number', 'mobile', 'number'),
    ],
    back: screen.url('menu'),
  };
}

const SCREENS: Record<AppScreen, (screen: Screen) => Promise<AppPage> | AppPage> = {
  menu: (screen) => ({
    type: 'menu',
    title: 'Company Contacts',
    items: [
      { label: 'Browse by letter', url: screen.url('letters') },
      { label: 'Search', url: screen.url('search') },
      // Only a user who may add sees the entry (the save screen refuses the others anyway).
      ...(screen.granted.includes('add') ? [{ label: 'Add contact', url: screen.url('add') }] : []),
    ],
  }),
  letters: (screen) => ({
    type: 'menu',
    title: 'Browse by letter',
    items: LETTERS.map((letter) => ({ label: letter.toUpperCase(), url: screen.url('browse', { letter }) })),
    back: screen.url('menu'),
  }),
  browse: (screen) => {
    const wanted = param(screen, 'letter').toLowerCase();
    const letter = LETTERS.includes(wanted) ? wanted : 'a';
    return directory(screen, `Contacts ${letter.toUpperCase()}`, '', letter, { letter }, screen.url('letters'));
  },
  search: (screen) => ({
    type: 'input',
    title: 'Search contacts',
    prompt: 'Enter name or number',
    url: screen.url('results'),
    fields: [{ label: 'Name or number', param: 'q', value: '', kind: 'text' }],
    back: screen.url('menu'),
  }),
  results: (screen) => {
    const query = param(screen, 'q');
    return directory(
      screen,
      query ? `Search: ${query}` : 'Contacts',
      query,
      undefined,
      { q: query },
      screen.url('search'),
    );
  },
  // Prefilled when the phone comes back from an error screen ("Edit").
  add: (screen) => addForm(screen, Object.fromEntries(ADD_FIELDS.map((name) => [name, param(screen, name)]))),
  save: (screen) => saveContact(screen),
};

async function saveContact(screen: Screen): Promise<AppPage> {
  const values = Object.fromEntries(ADD_FIELDS.map((name) => [name, param(screen, name)]));
  const books = await userPhonebooks(screen.em, screen.tenant, screen.user.id);
  const numbers: CreateContactInput['numbers'] = [];
  if (values.work) numbers.push({ type: 'work', number: values.work });
  if (values.mobile) numbers.push({ type: 'mobile', number: values.mobile });
  const input: CreateContactInput = {
    firstName: values.first || null,
    lastName: values.last || null,
    company: values.company || null,
    numbers,
    phonebookIds: books.map((book) => book.id),
  };
  const tenant = await screen.em.findOneOrFail(Tenant, { id: screen.tenant.id });
  const actor = { tokenId: null, name: `${screen.user.displayName} (phone)`, role: 'user' };
  try {
    const contact = await runAsActor(actor, () => createContact(screen.em, tenant, input));
    const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ') || contact.company || '';
    return {
      type: 'text',
      title: 'Contact saved',
      text: `${name} was added to the company contacts.`,
      back: screen.url('menu'),
    };
  } catch (error) {
    if (!(error instanceof BadRequestError)) throw error;
    const details = (error.details as { errors?: { message: string }[] } | undefined)?.errors;
    const text = details && details.length > 0 ? details.map((e) => e.message).join('\n') : error.message;
    return {
      type: 'text',
      title: 'Not saved',
      text,
      back: screen.url('menu'),
      action: { label: 'Edit', url: screen.url('add', values) },
    };
  }
}
