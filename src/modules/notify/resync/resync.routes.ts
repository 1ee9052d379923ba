import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../../deps/deps.js';
import { ERROR_RESPONSES, TenantIdParams, TenantParams } from '../../../http/api-schemas.js';
import { NotFoundError } from '../../../errors/errors.js';
import { principalOf, requireTenantRole, tenantOf } from '../../auth/guards.js';
import { Device } from '../../../model/directory/device.entity.js';
import { Group } from '../../../model/directory/group.entity.js';
import { findInTenant } from '../../tenants/tenant-lookup.js';
import { IdempotencyStore, idempotencyKeyOf } from './idempotency.js';
import type { ResyncPayload } from './resync-scope.js';
import { JobParams, JobView, ResyncAccepted, ResyncBody, type ResyncBodyType } from './resync.schemas.js';
import { findVisibleJob, jobView, notifierOf, requestResync } from './resync.service.js';

/**
 * Admin resync (202 + job id; Idempotency-Key honoured for 24 h) and the job it starts:
 *   POST /tenants/:tenant/devices/:id/resync · /groups/:id/resync · /resync   { reboot?: boolean }
 *   GET  /jobs/:id   (a tenant's token sees its own tenant's jobs only)
 */
export function resyncRoutes(deps: Pick<Deps, 'orm' | 'queues' | 'redis' | 'config'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    const em = () => deps.orm.em as EntityManager;
    const idempotency = new IdempotencyStore(deps.redis, deps.config.queuePrefix);
    const tags = ['resync'];
    const write = requireTenantRole('admin');
    // A bodiless POST (curl -X POST) means the defaults.
    const emptyBodyIsDefaults = async (request: FastifyRequest) => {
      if (request.body === undefined || request.body === null) request.body = {};
    };
    const accepted = { 202: ResyncAccepted, ...ERROR_RESPONSES };

    const start = async (
      request: FastifyRequest,
      reply: FastifyReply,
      scope: ResyncPayload['scope'],
      refId: string,
    ) => {
      const key = idempotencyKeyOf(request.headers['idempotency-key']);
      const tenant = tenantOf(request);
      const payload: ResyncPayload = {
        tenantId: tenant.id,
        scope,
        refId,
        reboot: (request.body as ResyncBodyType).reboot === true,
      };
      const path = request.url.split('?')[0]!;
      const result = await requestResync(
        { queues: deps.queues, idempotency },
        payload,
        key ? { scope: `${tenant.id} POST ${path}`, key } : undefined,
      );
      const notifier = await notifierOf(em().getKnex(), tenant.id);
      return reply
        .status(202)
        .header('location', `/api/v1/jobs/${result.jobId}`)
        .send({ ...result, ...notifier });
    };

    app.post(
      '/tenants/:tenant/devices/:id/resync',
      {
        preValidation: emptyBodyIsDefaults,
        preHandler: write,
        schema: { tags, params: TenantIdParams, body: ResyncBody, response: accepted },
      },
      async (request, reply) => {
        await findInTenant(em(), Device, tenantOf(request), request.params.id, 'device');
        return start(request, reply, 'device', request.params.id);
      },
    );

    app.post(
      '/tenants/:tenant/groups/:id/resync',
      {
        preValidation: emptyBodyIsDefaults,
        preHandler: write,
        schema: { tags, params: TenantIdParams, body: ResyncBody, response: accepted },
      },
      async (request, reply) => {
        await findInTenant(em(), Group, tenantOf(request), request.params.id, 'group');
        return start(request, reply, 'group', request.params.id);
      },
    );

    app.post(
      '/tenants/:tenant/resync',
      {
        preValidation: emptyBodyIsDefaults,
        preHandler: write,
        schema: { tags, params: TenantParams, body: ResyncBody, response: accepted },
      },
      async (request, reply) => start(request, reply, 'tenant', tenantOf(request).id),
    );

    app.get(
      '/jobs/:id',
      {
        schema: { tags, params: JobParams, response: { 200: JobView, ...ERROR_RESPONSES } },
      },
      async (request) => {
        const job = await findVisibleJob(deps.queues, principalOf(request), request.params.id);
        if (!job) throw new NotFoundError('job');
        return jobView(job);
      },
    );
  };
}
