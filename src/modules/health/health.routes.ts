import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../deps/deps.js';
import type { CanaryProbe } from './canary.js';

const CheckResult = Type.Object({ ok: Type.Boolean(), error: Type.Optional(Type.String()) });
const ReadyBody = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
  checks: Type.Object({
    postgres: CheckResult,
    redis: CheckResult,
    queue: CheckResult,
    phone: Type.Optional(CheckResult),
  }),
});

/** The phone-only processes of a cluster (PROVD_PHONE_PROCESSES > 1), as the primary sees them. */
export interface PhoneProcessesStatus {
  listening(): number;
  wanted: number;
}

async function check(run: () => Promise<unknown>, timeoutMs: number): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true };
  } catch (error) {
    // Only the message: driver errors can carry connection strings in other fields.
    const message = error instanceof Error ? error.message.replace(/\/\/[^@\s]*@/g, '//***@') : 'failed';
    return { ok: false, error: message.slice(0, 200) };
  } finally {
    clearTimeout(timer);
  }
}

/** Postgres and Redis reachability, for a process without /readyz (the worker's status listener). */
export async function dependencyChecks(deps: Pick<Deps, 'orm' | 'redis'>): Promise<Record<string, string>> {
  const [postgres, redis] = await Promise.all([
    check(() => deps.orm.em.getConnection().execute('select 1'), 2000),
    check(() => deps.redis.ping(), 1000),
  ]);
  return {
    postgres: postgres.ok ? 'ok' : (postgres.error ?? 'failed'),
    redis: redis.ok ? 'ok' : (redis.error ?? 'failed'),
  };
}

export function healthRoutes(deps: Pick<Deps, 'orm' | 'redis'>, canary?: CanaryProbe, phone?: PhoneProcessesStatus) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get(
      '/healthz',
      { schema: { hide: true, response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/readyz',
      { schema: { hide: true, response: { 200: ReadyBody, 503: ReadyBody } } },
      async (_request, reply) => {
        const [postgres, redis] = await Promise.all([
          check(() => deps.orm.em.getConnection().execute('select 1'), 2000),
          check(() => deps.redis.ping(), 1000),
        ]);
        const queue =
          canary && redis.ok
            ? await check(() => canary.roundTrip(2000), 2500)
            : { ok: false, error: canary ? 'redis unavailable' : 'no canary' };
        // Every phone process listening: one missing (crashed, restarting) shows as not ready until it is back.
        const listening = phone?.listening();
        const phoneCheck = phone
          ? listening === phone.wanted
            ? { ok: true }
            : { ok: false, error: `${listening} of ${phone.wanted} phone processes listening` }
          : undefined;
        const ready = postgres.ok && redis.ok && queue.ok && (phoneCheck?.ok ?? true);
        const checks = { postgres, redis, queue, ...(phoneCheck ? { phone: phoneCheck } : {}) };
        return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks });
      },
    );
  };
}
