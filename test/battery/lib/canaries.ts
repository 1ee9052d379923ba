import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUE_NAMES, queuePrefixOf } from '#src/queues/catalogue.js';
import type { ErrorBodies } from './admin.js';

export type CanaryKind =
  'sip-password' | 'device-secret' | 'api-token' | 'ami-secret' | 'admin-password' | 'platform-token';

export interface CanaryHit {
  where: string;
  kind: CanaryKind;
  /** A few characters around the hit, the secret itself masked. */
  context: string;
}

/** Unique secrets seeded into the system; none may show up anywhere but where it belongs. */
export class Canaries {
  private readonly values = new Map<string, CanaryKind>();

  /** A fresh printable secret that no other text will contain by chance. */
  static make(tag: string): string {
    return `Cnry${tag}${randomBytes(12).toString('hex')}`;
  }

  add(kind: CanaryKind, value: string): string {
    if (value.length < 12) throw new Error(`canary too short to search for: ${kind}`);
    this.values.set(value, kind);
    return value;
  }

  get size(): number {
    return this.values.size;
  }

  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const kind of this.values.values()) counts[kind] = (counts[kind] ?? 0) + 1;
    return counts;
  }

  /** Every canary found in `text`. Linear in the number of canaries; texts are searched once each. */
  search(where: string, text: string | Buffer): CanaryHit[] {
    const haystack = typeof text === 'string' ? text : text.toString('latin1');
    const hits: CanaryHit[] = [];
    for (const [value, kind] of this.values) {
      const at = haystack.indexOf(value);
      if (at >= 0)
        hits.push({
          where,
          kind,
          context: `${haystack.slice(Math.max(0, at - 60), at)}<${kind}>${haystack.slice(at + value.length, at + value.length + 60)}`,
        });
    }
    return hits;
  }
}

/** Every file under the folders (recursively): service logs, Postgres and Redis logs. */
export function scanLogFiles(
  canaries: Canaries,
  folders: string[],
  accept: (path: string) => boolean = () => true,
): { files: number; bytes: number; hits: CanaryHit[] } {
  let files = 0;
  let bytes = 0;
  const hits: CanaryHit[] = [];
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) return readdirSync(path).forEach((entry) => visit(join(path, entry)));
    if (!stat.isFile() || !accept(path)) return;
    const content = readFileSync(path);
    files += 1;
    bytes += content.length;
    hits.push(...canaries.search(path, content));
  };
  folders.forEach(visit);
  return { files, bytes, hits };
}

/** SCAN every key, dump its value by type (strings, hashes, lists, sets, sorted sets, streams) and search names and values. */
export async function scanRedis(
  canaries: Canaries,
  url: string,
): Promise<{ keys: number; bytes: number; hits: CanaryHit[]; types: Record<string, number> }> {
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  const hits: CanaryHit[] = [];
  const types: Record<string, number> = {};
  let keys = 0;
  let bytes = 0;
  try {
    let cursor = '0';
    do {
      const [next, batch] = await redis.scanBuffer(cursor, 'COUNT', 500);
      cursor = String(next);
      for (const key of batch) {
        keys += 1;
        const type = await redis.type(key);
        types[type] = (types[type] ?? 0) + 1;
        const parts: Buffer[] = [key];
        switch (type) {
          case 'string':
            parts.push((await redis.getBuffer(key)) ?? Buffer.alloc(0));
            break;
          case 'hash': {
            const hash = await redis.hgetallBuffer(key);
            parts.push(...Object.entries(hash).flatMap(([field, value]) => [Buffer.from(field), value]));
            break;
          }
          case 'list':
            parts.push(...(await redis.lrangeBuffer(key, 0, -1)));
            break;
          case 'set':
            parts.push(...(await redis.smembersBuffer(key)));
            break;
          case 'zset':
            parts.push(...(await redis.zrangeBuffer(key, 0, -1, 'WITHSCORES')));
            break;
          case 'stream':
            parts.push(Buffer.from(JSON.stringify(await redis.xrange(key, '-', '+'))));
            break;
        }
        const blob = Buffer.concat(parts);
        bytes += blob.length;
        hits.push(...canaries.search(`redis ${type} ${key.toString('latin1').slice(0, 120)}`, blob));
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return { keys, bytes, hits, types };
}

export function scanErrorBodies(
  canaries: Canaries,
  errors: ErrorBodies,
): { bodies: number; distinct: number; hits: CanaryHit[] } {
  const hits = errors.items.flatMap((item) => canaries.search(`${item.source} → ${item.status}`, item.body));
  return { bodies: errors.total, distinct: errors.items.length, hits };
}

/** Every BullMQ job of every queue in every state: data, progress, result, failure reason, stack trace and job log. */
export async function scanJobs(
  canaries: Canaries,
  url: string,
  prefix: string,
): Promise<{ jobs: number; hits: CanaryHit[] }> {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const hits: CanaryHit[] = [];
  let jobs = 0;
  try {
    for (const name of QUEUE_NAMES) {
      const queue = new Queue(name, { connection, prefix: queuePrefixOf(prefix, name) });
      try {
        const all = await queue.getJobs([
          'active',
          'waiting',
          'delayed',
          'prioritized',
          'completed',
          'failed',
          'waiting-children',
        ]);
        for (const job of all) {
          if (!job) continue;
          jobs += 1;
          const { logs } = await queue.getJobLogs(job.id!);
          const text = JSON.stringify({
            data: job.data,
            progress: job.progress,
            result: job.returnvalue,
            failedReason: job.failedReason,
            stacktrace: job.stacktrace,
            logs,
            opts: job.opts,
          });
          hits.push(...canaries.search(`job ${name}/${job.name}#${job.id}`, text));
        }
      } finally {
        await queue.close();
      }
    }
  } finally {
    connection.disconnect();
  }
  return { jobs, hits };
}
