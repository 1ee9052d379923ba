import type { EntityManager } from '@mikro-orm/postgresql';
import type { RenderTarget, TargetKind } from './render-target.entity.js';

export interface ArtifactFile {
  /** Where the phone server finds it: `<mac>/<file name>` or `pb/<token>/<file name>`. */
  servePath: string;
  contentType: string;
  body: Buffer;
  sha256: string;
  carriesSecrets: boolean;
}

export interface TargetRender {
  files: ArtifactFile[];
  warnings: string[];
}

/** Builds a target's files from the committed state. Reads the database; writes nothing. */
export type TargetRenderer = (em: EntityManager, target: RenderTarget) => Promise<TargetRender>;

export type RendererRegistry = Partial<Record<TargetKind, TargetRenderer>>;

/**
 * Renders several targets of one kind together, so rows shared between them (a tenant, a
 * phonebook's contacts, a profile) are read once. Each target gets its own entry: a render or the
 * error that failed only that target. Reads the database; writes nothing.
 */
export type TargetBatchRenderer = (
  em: EntityManager,
  targets: RenderTarget[],
) => Promise<Map<string, TargetRender | Error>>;

export type BatchRendererRegistry = Partial<Record<TargetKind, TargetBatchRenderer>>;
