import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Every relative import between the TypeScript files under `root`, as repo-relative paths. */
export interface ImportEdge {
  from: string;
  to: string;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/g;

function listTs(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listTs(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

export function importEdges(repo: string, folders: string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const folder of folders) {
    for (const file of listTs(join(repo, folder))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(IMPORT)) {
        const target = resolve(dirname(file), match[1]!).replace(/\.js$/, '.ts');
        edges.push({ from: relative(repo, file), to: relative(repo, target) });
      }
    }
  }
  return edges;
}

/**
 * Layers, top to bottom: the composition root (src/app, workers, and the files that wire the program
 * together: the process entry, worker handler assembly, the ORM set-up with its entity list and the
 * migration runner, the phone cluster), the features (src/modules), the model (src/model: the shared
 * entities, their enums and raw-SQL row types), and the shared kit (everything else under src). An
 * import may only point to its own layer or below. The model is its own layer, not part of the kit:
 * it may use the kit (config, errors) but never a feature, and the kit never reaches up into rows.
 */
const ROOT_FILES = new Set([
  'src/main.ts',
  'src/queues/handlers.ts',
  'src/db/entities.ts',
  'src/db/orm.ts',
  'src/db/migrate.ts',
  'src/lifecycle/phone-cluster.ts',
]);

export function layerOf(path: string): number {
  if (path.startsWith('src/app/') || path.startsWith('src/cli/') || path.startsWith('workers/') || ROOT_FILES.has(path))
    return 3;
  if (path.startsWith('src/modules/')) return 2;
  if (path.startsWith('src/model/')) return 1;
  return 0;
}
