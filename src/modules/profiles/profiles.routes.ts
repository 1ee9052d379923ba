import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { ERROR_RESPONSES, TenantIdParams, TenantParams } from '../../http/api-schemas.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { revealsSecrets } from '../settings/secret-visibility.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import { Profile } from '../../model/directory/profile.entity.js';
import {
  CreateProfileBody,
  ProfileList,
  ProfileListQuery,
  ProfileView,
  UpdateProfileBody,
} from './profiles.schemas.js';
import {
  createProfile,
  deleteProfile,
  listProfiles,
  profileView,
  setDefaultProfile,
  updateProfile,
} from './profiles.service.js';

/** /api/v1/tenants/:tenant/profiles — viewers read (secrets masked), admins write. */
export function profilesRoutes(deps: Pick<Deps, 'orm'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    const em = () => deps.orm.em as EntityManager;
    const tags = ['profiles'];
    const read = requireTenantRole('viewer');
    const write = requireTenantRole('admin');
    const view = (request: FastifyRequest, profile: Profile) =>
      profileView(profile, tenantOf(request), revealsSecrets(request));

    app.post(
      '/tenants/:tenant/profiles',
      {
        preHandler: write,
        schema: {
          tags,
          params: TenantParams,
          body: CreateProfileBody,
          response: { 201: ProfileView, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) =>
        reply.status(201).send(view(request, await createProfile(em(), tenantOf(request), request.body))),
    );

    app.get(
      '/tenants/:tenant/profiles',
      {
        preHandler: read,
        schema: {
          tags,
          params: TenantParams,
          querystring: ProfileListQuery,
          response: { 200: ProfileList, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const page = await listProfiles(em(), tenantOf(request), request.query);
        return { ...page, items: page.items.map((profile) => view(request, profile)) };
      },
    );

    app.get(
      '/tenants/:tenant/profiles/:id',
      {
        preHandler: read,
        schema: { tags, params: TenantIdParams, response: { 200: ProfileView, ...ERROR_RESPONSES } },
      },
      async (request) =>
        view(request, await findInTenant(em(), Profile, tenantOf(request), request.params.id, 'profile')),
    );

    app.patch(
      '/tenants/:tenant/profiles/:id',
      {
        preHandler: write,
        schema: {
          tags,
          params: TenantIdParams,
          body: UpdateProfileBody,
          response: { 200: ProfileView, ...ERROR_RESPONSES },
        },
      },
      async (request) => view(request, await updateProfile(em(), tenantOf(request), request.params.id, request.body)),
    );

    app.put(
      '/tenants/:tenant/profiles/:id/default',
      {
        preHandler: write,
        schema: {
          tags,
          description: 'Makes this the tenant default profile (same as PATCH /tenants/{tenant} defaultProfileId).',
          params: TenantIdParams,
          response: { 200: ProfileView, ...ERROR_RESPONSES },
        },
      },
      async (request) => view(request, await setDefaultProfile(em(), tenantOf(request), request.params.id, true)),
    );

    app.delete(
      '/tenants/:tenant/profiles/:id/default',
      {
        preHandler: write,
        schema: {
          tags,
          description: 'Clears the tenant default when it is this profile.',
          params: TenantIdParams,
          response: { 200: ProfileView, ...ERROR_RESPONSES },
        },
      },
      async (request) => view(request, await setDefaultProfile(em(), tenantOf(request), request.params.id, false)),
    );

    app.delete(
      '/tenants/:tenant/profiles/:id',
      {
        preHandler: write,
        schema: {
          tags,
          description:
            'Refused with 409 profile_in_use (details: tenantDefault, group and device ids) while anything uses it.',
          params: TenantIdParams,
          response: { 204: Type.Null(), ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        await deleteProfile(em(), tenantOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
