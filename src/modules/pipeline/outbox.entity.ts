import { BigIntType, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One captured change, written by a database trigger in the same transaction as the change
 * itself (so ORM writes, bulk updates and raw SQL are all captured, and rollbacks leave nothing).
 * `keys` holds only the key columns fan-out needs, old and new, never secrets.
 */
@Entity({ tableName: 'change_outbox' })
export class ChangeOutbox {
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @Property({ type: 'uuid', nullable: true })
  @Index()
  tenantId?: string | null;

  @Property({ type: 'string', length: 63 })
  tableName!: string;

  @Property({ type: 'string', length: 1 })
  op!: 'I' | 'U' | 'D';

  @Property({ type: 'json' })
  keys!: Record<string, unknown>;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt!: Date;
}
