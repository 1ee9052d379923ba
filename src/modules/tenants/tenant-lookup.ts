import type { EntityName, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadRequestError, NotFoundError } from '../../errors/errors.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';

type Scoped = { id: string };

/**
 * Loads one row of the tenant by id; a row of another tenant is "not found", exactly like a row
 * that does not exist. Every by-id read of a tenant-scoped entity goes through here or filters
 * on the tenant itself.
 */
export async function findInTenant<T extends Scoped>(
  em: EntityManager,
  entity: EntityName<T>,
  tenant: Tenant,
  id: string,
  what: string,
): Promise<T> {
  const row = await em.findOne(entity, { id, tenant } as FilterQuery<T>);
  if (!row) throw new NotFoundError(what);
  return row;
}

/** Like findInTenant, for an id given in a request body: a foreign or unknown id is a bad request. */
export async function referenceInTenant<T extends Scoped>(
  em: EntityManager,
  entity: EntityName<T>,
  tenant: Tenant,
  id: string,
  what: string,
): Promise<T> {
  const row = await em.findOne(entity, { id, tenant } as FilterQuery<T>);
  if (!row)
    throw new BadRequestError('unknown_reference', `${what} ${id} does not exist in this tenant`, { field: what, id });
  return row;
}

/**
 * Serialises writes that check a tenant-wide rule (account limit, extension uniqueness across
 * accounts, hunt groups and auto attendants) by locking the tenant row for the transaction.
 */
export async function lockTenant(em: EntityManager, tenant: Tenant): Promise<{ maxAccounts: number }> {
  const rows = await em.execute<{ max_accounts: number }[]>(
    'select max_accounts from tenants where id = ? for update',
    [tenant.id],
  );
  if (!rows[0]) throw new NotFoundError('tenant');
  return { maxAccounts: rows[0].max_accounts };
}
