import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importEdges, layerOf } from './import-graph.js';

const repo = join(import.meta.dirname, '../../..');

/**
 * The upward imports that exist today (issue "The house" moves them down). The list may only
 * shrink: a new upward import fails here, and one that was removed must be taken off the list.
 */
const KNOWN_UPWARD_IMPORTS = Number(
  readFileSync(join(import.meta.dirname, 'upward-imports.txt'), 'utf8')
    .split('\n')
    .filter(Boolean).length,
);

describe('layers', () => {
  it('migrations import nothing from live code (their SQL is frozen)', () => {
    const dir = join(repo, 'src/db/migrations');
    for (const file of readdirSync(dir).filter((name) => name.startsWith('Migration'))) {
      const imports = [...readFileSync(join(dir, file), 'utf8').matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]);
      expect(imports, file).toEqual(['@mikro-orm/migrations']);
    }
  });

  it('no import runs from a lower layer to a higher one beyond the recorded list', () => {
    const upward = importEdges(repo, ['src', 'workers'])
      .filter((edge) => layerOf(edge.to) > layerOf(edge.from))
      .map((edge) => `${edge.from} -> ${edge.to}`);
    const recorded = readFileSync(join(import.meta.dirname, 'upward-imports.txt'), 'utf8')
      .split('\n')
      .filter(Boolean);
    const added = [...new Set(upward)].filter((edge) => !recorded.includes(edge));
    expect(added, 'new upward imports (move the imported code down instead)').toEqual([]);
    const gone = recorded.filter((edge) => !upward.includes(edge));
    expect(gone, 'upward imports that no longer exist: remove them from upward-imports.txt').toEqual([]);
    expect(new Set(upward).size).toBeLessThanOrEqual(KNOWN_UPWARD_IMPORTS);
  });
});
