import { FanoutRegistry } from '../modules/pipeline/fanout.registry.js';

/** Fan-out resolvers of every captured table. */
export function fanoutRegistry(): FanoutRegistry {
  return new FanoutRegistry();
}
