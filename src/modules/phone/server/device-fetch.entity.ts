import { Entity, ManyToOne, PrimaryKeyProp, Property } from '@mikro-orm/core';
import { Device } from '../../../model/directory/device.entity.js';

/**
 * The latest fetch of each file by each device: which bytes (hash) it got and when. Compared
 * with the artifacts' current hashes this is the device's sync state (in sync when it has
 * fetched the current hash of every file it needs). Written in batches by the phone server.
 */
@Entity({ tableName: 'device_fetches' })
export class DeviceFetch {
  [PrimaryKeyProp]?: ['device', 'servePath'];

  @ManyToOne({ entity: () => Device, primary: true, deleteRule: 'cascade', updateRule: 'cascade' })
  device!: Device;

  /** Artifact key, `<mac>/<file name lowercased>`. */
  @Property({ type: 'string', length: 300, primary: true })
  servePath!: string;

  @Property({ type: 'string', length: 64 })
  sha256!: string;

  @Property({ type: 'datetime' })
  fetchedAt!: Date;
}
