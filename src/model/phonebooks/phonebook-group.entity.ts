import { Entity, ManyToOne, Unique } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';
import { Group } from '../directory/group.entity.js';
import { Phonebook } from './phonebook.entity.js';

/** A group whose devices see a phonebook with visibility `groups`. */
@Entity({ tableName: 'phonebook_groups' })
@Unique({ name: 'phonebook_groups_phonebook_group_unique', properties: ['phonebook', 'group'] })
export class PhonebookGroup extends TenantScopedEntity {
  @ManyToOne({ entity: () => Phonebook, deleteRule: 'cascade', updateRule: 'cascade' })
  phonebook!: Phonebook;

  @ManyToOne({
    entity: () => Group,
    deleteRule: 'cascade',
    updateRule: 'cascade',
    index: 'phonebook_groups_group_id_index',
  })
  group!: Group;
}
