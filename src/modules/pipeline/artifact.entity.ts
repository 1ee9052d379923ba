import { BigIntType, Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * Rendered bytes as phones fetch them. Keyed by `servePath`: for device files the canonical MAC
 * plus the file name (`<mac>/<name>`), for phonebooks `pb/<token>/<file>`; the phone server
 * answers from an in-process copy of this table and never renders on request.
 */
@Entity({ tableName: 'artifacts' })
@Unique({ properties: ['servePath'] })
export class Artifact {
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @Property({ type: new BigIntType('string') })
  @Index()
  targetId!: string;

  @Property({ type: 'string', length: 300 })
  servePath!: string;

  @Property({ type: 'string', length: 100 })
  contentType!: string;

  @Property({ type: 'blob', lazy: true })
  body!: Buffer;

  @Property({ type: 'string', length: 64 })
  sha256!: string;

  @Property({ type: new BigIntType('string') })
  generation!: string;

  @Property({ type: 'boolean', default: false })
  carriesSecrets!: boolean;

  /** Indexed: serving processes reconcile their caches by `updated_at > last check`. */
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  @Index()
  updatedAt!: Date;
}
