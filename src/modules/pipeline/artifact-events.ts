import type { RedisClient } from '../../redis/redis.js';

/**
 * Tells every serving process that a target's artifacts changed, so in-process caches reload
 * it. Pub/sub is only a hint: serving processes also re-check Postgres periodically, so a lost
 * message delays, but never prevents, convergence.
 */
export class ArtifactEvents {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  get channel(): string {
    return `${this.prefix}:artifacts`;
  }

  /** Devices whose own row changed (status, secret, tenant): serving processes drop cached credentials. */
  get devicesChannel(): string {
    return `${this.prefix}:devices`;
  }

  async publishChanged(targetIds: string[]): Promise<void> {
    if (targetIds.length) await this.redis.publish(this.channel, targetIds.join(','));
  }

  async publishDevicesChanged(deviceIds: string[]): Promise<void> {
    if (deviceIds.length) await this.redis.publish(this.devicesChannel, deviceIds.join(','));
  }
}
