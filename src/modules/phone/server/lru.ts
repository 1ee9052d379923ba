/**
 * Least-recently-used map bounded by a total size (bytes, or 1 per entry for a count bound).
 * A Map keeps insertion order, so re-inserting on access makes the first key the eldest.
 */
export class Lru<K, V> {
  private readonly entries = new Map<K, { value: V; size: number }>();
  private total = 0;

  constructor(
    private readonly maxSize: number,
    /** Called for every entry that leaves, evicted or deleted (not for clear()). */
    private readonly onRemove?: (key: K, value: V) => void,
  ) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Without refreshing recency. */
  peek(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Stores unless the value alone exceeds the bound; evicts the eldest entries to make room. */
  set(key: K, value: V, size = 1): boolean {
    this.delete(key);
    if (size > this.maxSize) return false;
    this.entries.set(key, { value, size });
    this.total += size;
    while (this.total > this.maxSize) {
      const eldest = this.entries.keys().next();
      if (eldest.done) break;
      this.remove(eldest.value);
    }
    return true;
  }

  delete(key: K): boolean {
    return this.remove(key);
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  keys(): IterableIterator<K> {
    return this.entries.keys();
  }

  *values(): IterableIterator<V> {
    for (const entry of this.entries.values()) yield entry.value;
  }

  get size(): number {
    return this.entries.size;
  }

  get totalSize(): number {
    return this.total;
  }

  private remove(key: K): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.total -= entry.size;
    this.onRemove?.(key, entry.value);
    return true;
  }
}
