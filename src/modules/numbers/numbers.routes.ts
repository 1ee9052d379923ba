import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import {
  ConfirmQuery,
  ERROR_RESPONSES,
  Page,
  PageQueryFields,
  TenantIdParams,
  TenantParams,
  Timestamp,
} from '../../http/api-schemas.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import { assignNumber, swapPrimaryNumber, unassignNumber } from './number-assignment.js';
import { numberView } from './number.view.js';
import {
  AddNumbersBody,
  AssignBody,
  BulkDeleteBody,
  BulkDeleteResult,
  NumberImpact,
  NumberItems,
  NumberList,
  NumberListQuery,
  NumberView,
  SwapPrimaryBody,
  SwapPrimaryResult,
} from './numbers.schemas.js';
import { deleteNumbers, numbersImpact } from './number-removal.js';
import { addNumbers, listNumbers } from './numbers.service.js';
import { PhoneNumber } from '../../model/directory/phone-number.entity.js';
import { QuarantinedNumber } from '../../model/directory/quarantined-number.entity.js';

const QuarantineList = Page(Type.Object({ e164: Type.String(), deletedAt: Timestamp }));
const QuarantineQuery = Type.Object({ ...PageQueryFields }, { additionalProperties: false });

/** /api/v1/tenants/:tenant/numbers, plus the swap-primary action on accounts. */
export function numbersRoutes(deps: Pick<Deps, 'orm'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    const em = () => deps.orm.em as EntityManager;
    const tags = ['numbers'];
    const base = '/tenants/:tenant/numbers';
    const read = requireTenantRole('viewer');
    const write = requireTenantRole('admin');

    app.post(
      base,
      {
        preHandler: write,
        schema: {
          tags,
          params: TenantParams,
          body: AddNumbersBody,
          response: { 201: NumberItems, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const created = await addNumbers(
          em(),
          tenantOf(request),
          request.body.numbers,
          request.body.overrideQuarantine === true,
        );
        return reply.status(201).send({ items: created.map(numberView) });
      },
    );

    app.get(
      base,
      {
        preHandler: read,
        schema: {
          tags,
          params: TenantParams,
          querystring: NumberListQuery,
          response: { 200: NumberList, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const page = await listNumbers(em(), tenantOf(request), request.query);
        return { ...page, items: page.items.map(numberView) };
      },
    );

    app.get(
      `${base}/quarantine`,
      {
        preHandler: read,
        schema: {
          tags,
          params: TenantParams,
          querystring: QuarantineQuery,
          response: { 200: QuarantineList, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { limit, offset } = request.query;
        const [entries, total] = await em().findAndCount(
          QuarantinedNumber,
          { tenant: tenantOf(request) },
          { orderBy: { deletedAt: 'desc', e164: 'asc' }, limit, offset },
        );
        return {
          items: entries.map((entry) => ({ e164: entry.e164, deletedAt: entry.deletedAt.toISOString() })),
          total,
          limit,
          offset,
        };
      },
    );

    app.get(
      `${base}/:id`,
      { preHandler: read, schema: { tags, params: TenantIdParams, response: { 200: NumberView, ...ERROR_RESPONSES } } },
      async (request) =>
        numberView(await findInTenant(em(), PhoneNumber, tenantOf(request), request.params.id, 'number')),
    );

    app.get(
      `${base}/:id/impact`,
      {
        preHandler: read,
        schema: {
          tags,
          description: 'What DELETE would end: the assignment and the group sharings.',
          params: TenantIdParams,
          response: { 200: NumberImpact, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const tenant = tenantOf(request);
        return numbersImpact(em(), tenant, [
          await findInTenant(em(), PhoneNumber, tenant, request.params.id, 'number'),
        ]);
      },
    );

    app.delete(
      `${base}/:id`,
      {
        preHandler: write,
        schema: {
          tags,
          description:
            'A number in use (assigned or shared with a group) answers 409 with the impact unless ?confirm=true; confirmed, its assignment and sharings end. The number is quarantined.',
          params: TenantIdParams,
          querystring: ConfirmQuery,
          response: { 204: Type.Null(), ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        // A number in the path that is not the tenant's is "not found", as on every by-id route.
        const number = await findInTenant(em(), PhoneNumber, tenantOf(request), request.params.id, 'number');
        await deleteNumbers(em(), tenantOf(request), [number.id], request.query.confirm === true);
        return reply.status(204).send(null);
      },
    );

    app.post(
      `${base}/bulk-delete`,
      {
        preHandler: write,
        schema: {
          tags,
          description: 'All or none; numbers in use need ?confirm=true (409 with the impact otherwise).',
          params: TenantParams,
          querystring: ConfirmQuery,
          body: BulkDeleteBody,
          response: { 200: BulkDeleteResult, ...ERROR_RESPONSES },
        },
      },
      async (request) => ({
        deleted: (await deleteNumbers(em(), tenantOf(request), request.body.ids, request.query.confirm === true))
          .deleted,
      }),
    );

    app.post(
      `${base}/:id/assign`,
      {
        preHandler: write,
        schema: { tags, params: TenantIdParams, body: AssignBody, response: { 200: NumberView, ...ERROR_RESPONSES } },
      },
      async (request) => numberView(await assignNumber(em(), tenantOf(request), request.params.id, request.body)),
    );

    app.post(
      `${base}/:id/unassign`,
      {
        preHandler: write,
        schema: { tags, params: TenantIdParams, response: { 200: NumberView, ...ERROR_RESPONSES } },
      },
      async (request) => numberView(await unassignNumber(em(), tenantOf(request), request.params.id)),
    );

    app.post(
      '/tenants/:tenant/accounts/:id/swap-primary-number',
      {
        preHandler: write,
        schema: {
          tags: ['accounts', 'numbers'],
          params: TenantIdParams,
          body: SwapPrimaryBody,
          response: { 200: SwapPrimaryResult, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { primary, previousPrimary } = await swapPrimaryNumber(
          em(),
          tenantOf(request),
          request.params.id,
          request.body.numberId,
        );
        return { primary: numberView(primary), previousPrimary: previousPrimary ? numberView(previousPrimary) : null };
      },
    );
  };
}
