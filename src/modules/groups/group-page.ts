import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Account } from '../../model/directory/account.entity.js';
import { accountViews } from '../accounts/account.view.js';
import { listAccounts } from '../accounts/accounts.service.js';
import { roleAtLeast } from '../auth/principal.js';
import { pageContext } from '../console/page-context.js';
import { Profile } from '../../model/directory/profile.entity.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { extraMembers, sharedNumbers } from './group-members.service.js';
import { groupFormValues } from './group-form.js';
import type { Group } from '../../model/directory/group.entity.js';

const ACCOUNT_PAGE_SIZE = 25;

/** A generated SIP password waiting to be shown once, on the next page of its group. */
interface OneTimeSecret {
  groupId: string;
  extension: string;
  sipPassword: string;
}

declare module '@fastify/secure-session' {
  interface SessionData {
    oneTimeSecret: OneTimeSecret;
  }
}

/** Keeps a new SIP password (in the encrypted session) for the redirect target, which shows it once. */
export function keepSecretForOnce(request: FastifyRequest, secret: OneTimeSecret): void {
  request.session.set('oneTimeSecret', secret);
}

function takeSecret(request: FastifyRequest, groupId: string): OneTimeSecret | null {
  const secret = request.session?.get('oneTimeSecret');
  if (!secret) return null;
  request.session.set('oneTimeSecret', undefined);
  return secret.groupId === groupId ? secret : null;
}

export interface GroupPageState {
  /** The settings form's values (submitted ones after a refused update). */
  form?: Record<string, unknown>;
  errors?: Record<string, string>;
  accountForm?: Record<string, unknown>;
  accountErrors?: Record<string, string>;
  /** Messages next to the member and shared-number forms (e.g. already_member). */
  memberError?: string;
  numberError?: string;
}

export function groupHref(tenant: Tenant, groupId?: string): string {
  return `/console/t/${encodeURIComponent(tenant.slug)}/groups${groupId ? `/${groupId}` : ''}`;
}

/** The group's page: settings form (Update, Delete), its accounts with Add account, extra members and shared numbers. */
export async function renderGroupPage(
  em: EntityManager,
  request: FastifyRequest,
  reply: FastifyReply,
  tenant: Tenant,
  group: Group,
  state: GroupPageState = {},
) {
  const query = request.query as { apage?: string };
  const page = Math.max(1, Math.min(100000, Number.parseInt(query.apage ?? '1', 10) || 1));
  const accounts = await listAccounts(em, tenant, {
    groupId: group.id,
    limit: ACCOUNT_PAGE_SIZE,
    offset: (page - 1) * ACCOUNT_PAGE_SIZE,
  });
  const views = await accountViews(em, accounts.items);
  const members = await extraMembers(em, tenant, group.id);
  const numbers = await sharedNumbers(em, tenant, group.id);
  const accountCount = await em.count(Account, { tenant });
  const profiles = await em.find(Profile, { tenant }, { orderBy: { name: 'asc' }, fields: ['id', 'name'], limit: 500 });
  const canWrite = roleAtLeast(request.principal!.role, 'admin');
  const href = groupHref(tenant, group.id);
  return reply.view('groups/views/group', {
    ...pageContext(request, reply, { tenant, active: 'groups', title: `Group ${group.name}` }),
    groupId: group.id,
    groupName: group.name,
    href,
    listHref: groupHref(tenant),
    canWrite,
    form: state.form ?? groupFormValues(group),
    errors: state.errors ?? {},
    profiles: profiles.map((profile) => ({ id: profile.id, name: profile.name })),
    defaultProfileId: '',
    formAction: href,
    submitLabel: 'Update',
    cancelHref: groupHref(tenant),
    deleteHref: canWrite ? `${href}/delete` : null,
    accounts: views.map((account) => ({
      id: account.id,
      extension: account.extension,
      displayName: account.displayName,
      sipUsername: account.sipUsername,
      numbers: [account.primaryNumber, ...account.additionalNumbers]
        .filter((number) => number !== null)
        .map((number) => number.e164),
    })),
    accountTotal: accounts.total,
    accountPage: page,
    accountPages: Math.max(1, Math.ceil(accounts.total / ACCOUNT_PAGE_SIZE)),
    accountCount,
    accountLimit: tenant.maxAccounts,
    accountForm: state.accountForm ?? {},
    accountErrors: state.accountErrors ?? {},
    secret: takeSecret(request, group.id),
    members: members.map((account) => ({
      id: account.id,
      extension: account.extension,
      displayName: account.displayName,
    })),
    sharedNumbers: numbers.map((number) => ({ id: number.id, e164: number.e164 })),
    memberError: state.memberError ?? null,
    numberError: state.numberError ?? null,
  });
}
