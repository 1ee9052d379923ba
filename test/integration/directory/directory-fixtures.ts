import type { EntityManager } from '@mikro-orm/postgresql';
import { Account } from '#src/model/directory/account.entity.js';
import { ClassOfService } from '#src/model/directory/class-of-service.entity.js';
import { Group } from '#src/model/directory/group.entity.js';
import { Profile } from '#src/model/directory/profile.entity.js';
import { Tenant } from '#src/model/directory/tenant.entity.js';
import type { ApiResponse } from '../../helpers/api.js';
import type { TestContext } from '../../helpers/context.js';

/** Rows owned by the other helper's features (groups, accounts), written straight to the database. */
export function directoryFixtures(ctx: TestContext) {
  const fork = () => ctx.deps.orm.em.fork() as EntityManager;
  return {
    async group(
      tenantId: string,
      name: string,
      fields: { profileId?: string; classOfServiceId?: string } = {},
    ): Promise<string> {
      const em = fork();
      const group = em.create(Group, {
        tenant: em.getReference(Tenant, tenantId),
        name,
        profile: fields.profileId ? em.getReference(Profile, fields.profileId) : null,
        classOfService: fields.classOfServiceId ? em.getReference(ClassOfService, fields.classOfServiceId) : null,
      });
      await em.flush();
      return group.id;
    },
    async account(
      tenantId: string,
      groupId: string,
      extension: string,
      sipPassword = `pw-${extension}-0123456789`,
    ): Promise<string> {
      const em = fork();
      const account = em.create(Account, {
        tenant: em.getReference(Tenant, tenantId),
        homeGroup: em.getReference(Group, groupId),
        extension,
        sipUsername: `u${extension}`,
        sipPassword,
        displayName: `User ${extension}`,
      });
      await em.flush();
      return account.id;
    },
    async classOfService(tenantId: string, name: string): Promise<string> {
      const em = fork();
      const cos = em.create(ClassOfService, { tenant: em.getReference(Tenant, tenantId), name, level: 'national' });
      await em.flush();
      return cos.id;
    },
    async sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
      return fork().getConnection().execute<T[]>(query, params);
    },
    /** POSTs a CSV body (the API client only sends JSON). */
    async postCsv(token: string, url: string, csv: string): Promise<ApiResponse> {
      const response = await ctx.admin.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
        payload: csv,
      });
      return {
        status: response.statusCode,
        body: response.body ? JSON.parse(response.body) : undefined,
        raw: response.body,
      };
    },
  };
}
