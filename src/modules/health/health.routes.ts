import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../app/deps.js';
import type { CanaryProbe } from './canary.js';

const CheckResult = Type.Object({ ok: Type.Boolean(), error: Type.Optional(Type.String()) });
const ReadyBody = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
  checks: Type.Object({ postgres: CheckResult, redis: CheckResult, queue: CheckResult }),
});

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

export function healthRoutes(deps: Pick<Deps, 'orm' | 'redis'>, canary?: CanaryProbe) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get('/healthz', { schema: { hide: true, response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }));

    app.get('/readyz', { schema: { hide: true, response: { 200: ReadyBody, 503: ReadyBody } } }, async (_request, reply) => {
      const [postgres, redis] = await Promise.all([
        check(() => deps.orm.em.getConnection().execute('select 1'), 2000),
        check(() => deps.redis.ping(), 1000),
      ]);
      const queue = canary && redis.ok ? await check(() => canary.roundTrip(2000), 2500) : { ok: false, error: canary ? 'redis unavailable' : 'no canary' };
      const ready = postgres.ok && redis.ok && queue.ok;
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks: { postgres, redis, queue } });
    });
  };
}
