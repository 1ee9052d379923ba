import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The phone server's families. `kind` is the requested file's class (device, common, phonebook,
 * firmware, unknown, invalid) and `answer` the status code: both bounded sets, never the path
 * (it holds MACs and phonebook tokens).
 */
function createPhoneMetrics(registry: Registry) {
  return {
    fetches: new Counter({
      name: 'provd_phone_fetches_total',
      help: 'Phone requests answered, by requested file kind and answer (status code)',
      labelNames: ['kind', 'answer'] as const,
      registers: [registry],
    }),
    authFailures: new Counter({
      name: 'provd_phone_auth_failures_total',
      help: 'Failed phone authentications (Digest or Basic presented and refused), by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    bans: new Counter({
      name: 'provd_phone_bans_total',
      help: 'Sources banned by this process: past the sensitive-request threshold, or by an operator',
      labelNames: ['by'] as const,
      registers: [registry],
    }),
    bannedSources: new Gauge({
      name: 'provd_phone_banned_sources',
      help: 'Bans held in this process (the shared Redis list as last refreshed)',
      registers: [registry],
    }),
  };
}

export type PhoneMetrics = ReturnType<typeof createPhoneMetrics>;

const cache = new WeakMap<Registry, PhoneMetrics>();

/** One set per registry (prom-client refuses duplicate names). */
export function phoneMetrics(registry: Registry): PhoneMetrics {
  let metrics = cache.get(registry);
  if (!metrics) {
    metrics = createPhoneMetrics(registry);
    cache.set(registry, metrics);
  }
  return metrics;
}
