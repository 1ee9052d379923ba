import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { Lru } from './lru.js';
import type { Sql } from './sql.js';

const gzip = promisify(gzipCallback);

/**
 * Bytes as served: the body, its gzip form when that is smaller, and a strong ETag for each
 * (RFC 9110 §8.8.3: two encodings of one resource are different representations, so they
 * must not share a strong validator).
 */
export interface ServedBytes {
  body: Buffer;
  gzip?: Buffer;
  etag: string;
  /** The ETag of the gzip form, present with it. */
  gzipEtag?: string;
  sha256: string;
  contentType: string;
}

export interface CachedArtifact extends ServedBytes {
  servePath: string;
  targetId: string;
  carriesSecrets: boolean;
}

interface ArtifactRow {
  target_id: string;
  serve_path: string;
  content_type: string;
  body: Buffer;
  sha256: string;
  carries_secrets: boolean;
}

/** Below this size gzip saves nothing worth a header. */
const GZIP_MIN_BYTES = 256;
/** Fixed cost per entry (keys, objects) added to its byte size for the bound. */
const ENTRY_OVERHEAD = 512;

interface LoadTracker {
  path: string;
  pathDropped: boolean;
  droppedTargets: Set<string>;
}

export function etagOf(sha256: string): string {
  return `"${sha256}"`;
}

/** The gzip form's ETag: the identity ETag with `-gzip` inside the quotes. */
export function gzipEtagOf(sha256: string): string {
  return `"${sha256}-gzip"`;
}

/** The served form of some bytes: gzip computed once, kept only when smaller. */
export async function servedBytes(body: Buffer, sha256: string, contentType: string): Promise<ServedBytes> {
  const bytes: ServedBytes = { body, etag: etagOf(sha256), sha256, contentType };
  if (body.length >= GZIP_MIN_BYTES) {
    const compressed = await gzip(body, { level: 6 });
    if (compressed.length < body.length) {
      bytes.gzip = compressed;
      bytes.gzipEtag = gzipEtagOf(sha256);
    }
  }
  return bytes;
}

/**
 * In-process copy of the artifact store, keyed by serve path, bounded by bytes (LRU) and filled
 * on demand. Invalidation (pub/sub hints and the periodic reconcile) drops entries; a load that
 * raced with an invalidation answers its request but is not kept, so a dropped version never
 * comes back from a slow query.
 */
export class ArtifactCache {
  private readonly lru: Lru<string, CachedArtifact>;
  private readonly loading = new Map<string, Promise<CachedArtifact | undefined>>();
  private readonly byTarget = new Map<string, Set<string>>();
  /** Loads in flight, told about every drop that happens while they run. */
  private readonly inFlight = new Set<LoadTracker>();

  constructor(
    private readonly sql: Sql,
    maxBytes: number,
  ) {
    this.lru = new Lru(maxBytes, (path, artifact) => this.unindex(path, artifact.targetId));
  }

  /** Cached only: never touches the database. */
  peek(servePath: string): CachedArtifact | undefined {
    return this.lru.get(servePath);
  }

  async get(servePath: string): Promise<CachedArtifact | undefined> {
    const hit = this.lru.get(servePath);
    if (hit) return hit;
    let pending = this.loading.get(servePath);
    if (!pending) {
      pending = this.load(servePath).finally(() => this.loading.delete(servePath));
      this.loading.set(servePath, pending);
    }
    return pending;
  }

  /** Current hash without reading the body (a 304 on a cache miss reads no bytes). */
  async currentSha256(servePath: string): Promise<string | undefined> {
    const cached = this.lru.peek(servePath);
    if (cached) return cached.sha256;
    const rows = await this.sql<{ sha256: string }>(`select sha256 from artifacts where serve_path = ?`, [servePath]);
    return rows[0]?.sha256;
  }

  dropTargets(targetIds: Iterable<string>): void {
    for (const id of targetIds) {
      for (const tracker of this.inFlight) tracker.droppedTargets.add(id);
      const paths = this.byTarget.get(id);
      if (paths) for (const path of [...paths]) this.lru.delete(path);
    }
  }

  dropPaths(paths: Iterable<string>): void {
    for (const path of paths) {
      for (const tracker of this.inFlight) if (tracker.path === path) tracker.pathDropped = true;
      this.lru.delete(path);
    }
  }

  /** Cached hash of a path, for reconciliation. */
  cachedSha256(servePath: string): string | undefined {
    return this.lru.peek(servePath)?.sha256;
  }

  cachedPaths(): string[] {
    return [...this.lru.keys()];
  }

  get bytes(): number {
    return this.lru.totalSize;
  }

  private async load(servePath: string): Promise<CachedArtifact | undefined> {
    const tracker: LoadTracker = { path: servePath, pathDropped: false, droppedTargets: new Set() };
    this.inFlight.add(tracker);
    try {
      return await this.loadTracked(tracker);
    } finally {
      this.inFlight.delete(tracker);
    }
  }

  private async loadTracked(tracker: LoadTracker): Promise<CachedArtifact | undefined> {
    const servePath = tracker.path;
    const rows = await this.sql<ArtifactRow>(
      `select target_id::text as target_id, serve_path, content_type, body, sha256, carries_secrets from artifacts where serve_path = ?`,
      [servePath],
    );
    const row = rows[0];
    if (!row) return undefined;
    const artifact: CachedArtifact = {
      ...(await servedBytes(row.body, row.sha256, row.content_type)),
      servePath: row.serve_path,
      targetId: row.target_id,
      carriesSecrets: row.carries_secrets,
    };
    if (!tracker.pathDropped && !tracker.droppedTargets.has(artifact.targetId)) {
      const size = artifact.body.length + (artifact.gzip?.length ?? 0) + ENTRY_OVERHEAD;
      if (this.lru.set(servePath, artifact, size)) this.index(servePath, artifact.targetId);
    }
    return artifact;
  }

  private index(path: string, targetId: string): void {
    let paths = this.byTarget.get(targetId);
    if (!paths) this.byTarget.set(targetId, (paths = new Set()));
    paths.add(path);
  }

  private unindex(path: string, targetId: string): void {
    const paths = this.byTarget.get(targetId);
    if (!paths) return;
    paths.delete(path);
    if (paths.size === 0) this.byTarget.delete(targetId);
  }
}
