import type { Redis } from 'ioredis';

/**
 * Tells every serving process that a target's artifacts changed, so in-process caches reload
 * it. Pub/sub is only a hint: serving processes also re-check Postgres periodically, so a lost
 * message delays, but never prevents, convergence.
 */
export class ArtifactEvents {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  get channel(): string {
    return `${this.prefix}:artifacts`;
  }

  async publishChanged(targetIds: string[]): Promise<void> {
    if (targetIds.length) await this.redis.publish(this.channel, targetIds.join(','));
  }
}
