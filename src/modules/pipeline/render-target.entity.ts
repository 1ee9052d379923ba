import { BigIntType, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

export type TargetKind = 'device' | 'phonebook' | 'directory';

/**
 * Something the workers render: a device's profile, or one vendor format of a phonebook (or of a
 * tenant's internal directory). `desiredGen` is bumped by changes; `renderedGen` by the worker.
 * Postgres holds both, so the sweeper can always find lagging targets even after Redis is flushed.
 */
@Entity({ tableName: 'render_targets' })
@Index({ properties: ['tenantId', 'kind'] })
export class RenderTarget {
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  /** `device:<id>`, `phonebook:<id>:<format>` or `directory:<tenant>:<format>`. */
  @Property({ type: 'string', length: 200, unique: true })
  targetKey!: string;

  @Property({ type: 'uuid' })
  tenantId!: string;

  @Property({ type: 'string', length: 16 })
  kind!: TargetKind;

  /** Device id, phonebook id or tenant id, by kind. */
  @Property({ type: 'uuid' })
  refId!: string;

  @Property({ type: 'string', length: 32, nullable: true })
  format?: string | null;

  @Property({ type: new BigIntType('string'), default: 1 })
  desiredGen!: string;

  @Property({ type: new BigIntType('string'), default: 0 })
  renderedGen!: string;

  /** Combined hash of every file of the target at renderedGen. */
  @Property({ type: 'string', length: 64, nullable: true })
  renderedHash?: string | null;

  @Property({ type: 'string', length: 16, default: 'pending' })
  state!: 'pending' | 'ok' | 'failed';

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  /** Stable reason of the last failed render (e.g. sip_server_missing; `internal` for a non-render error); cleared by a success. */
  @Property({ type: 'string', length: 64, nullable: true })
  lastErrorCode?: string | null;

  @Property({ type: 'datetime', nullable: true })
  lastErrorAt?: Date | null;

  /** The desired generation the failed render tried. */
  @Property({ type: new BigIntType('string'), nullable: true })
  lastErrorGen?: string | null;

  @Property({ type: 'json', nullable: true })
  warnings?: string[] | null;

  @Property({ type: 'integer', default: 0 })
  failures!: number;

  @Property({ type: 'datetime', nullable: true })
  renderedAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  updatedAt!: Date;
}
