import type { FanoutRegistry } from '../modules/pipeline/fanout.registry.js';
import { defaultFanoutRegistry } from '../modules/pipeline/resolvers/resolvers.js';

/** Fan-out resolvers of every captured table. */
export function fanoutRegistry(): FanoutRegistry {
  return defaultFanoutRegistry();
}
