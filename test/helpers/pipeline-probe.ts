import { createHash } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import { captureTriggerSql } from '#src/modules/pipeline/capture.sql.js';
import { FanoutRegistry } from '#src/modules/pipeline/fanout.registry.js';
import { collectKeys, type OutboxRow, type TargetSpec } from '#src/modules/pipeline/fanout.types.js';
import type { RendererRegistry } from '#src/modules/pipeline/renderer.registry.js';

/**
 * A stand-in captured table for pipeline mechanics tests: `probe_items` rows belong to a
 * `probe_book`; a change to an item bumps its book's target, whose render lists the book's items.
 */
export const PROBE_SCHEMA = `
create table probe_items (id uuid primary key, tenant_id uuid not null, book_id uuid not null, label text not null);
${captureTriggerSql('probe_items', ['id', 'book_id'])}
`;

export function probeTarget(tenantId: string, bookId: string): TargetSpec {
  return { targetKey: `probe:${bookId}`, tenantId, kind: 'phonebook', refId: bookId, format: 'probe' };
}

export function probeFanout(): FanoutRegistry {
  return new FanoutRegistry().register('probe_items', async (_trx: Knex.Transaction, rows: OutboxRow[]) => ({
    bump: collectKeys(rows, 'book_id').map((bookId) =>
      probeTarget(rows.find((row) => row.tenant_id)!.tenant_id!, bookId),
    ),
    remove: [],
  }));
}

export interface ProbeRendererOptions {
  /** Artificial delay inside the render, to catch a render in flight. */
  delayMs?: number;
  /** Counts renders per target id. */
  counts?: Map<string, number>;
}

export function renderProbeBook(labels: string[]): Buffer {
  return Buffer.from(labels.join('\n') + '\n', 'utf8');
}

export function probeRenderers(options: ProbeRendererOptions = {}): RendererRegistry {
  return {
    phonebook: async (em, target) => {
      options.counts?.set(String(target.id), (options.counts.get(String(target.id)) ?? 0) + 1);
      const rows = await em
        .getConnection()
        .execute<{ label: string }[]>(`select label from probe_items where book_id = ? order by label, id`, [
          target.refId,
        ]);
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      const body = renderProbeBook(rows.map((row) => row.label));
      return {
        files: [
          {
            servePath: `pb/${target.refId}/probe.txt`,
            contentType: 'text/plain; charset=utf-8',
            body,
            sha256: createHash('sha256').update(body).digest('hex'),
            carriesSecrets: false,
          },
        ],
        warnings: [],
      };
    },
  };
}
