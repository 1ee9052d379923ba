import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { openOrm } from '../src/db/orm.js';
import { withScratchDatabase } from './stack/scratch-db.js';

/**
 * Diffs the entities against a database migrated with every committed migration and writes the
 * difference as a new migration, registered in src/db/migrations/index.ts.
 * Usage: npm run migration:create -- <short_name>
 */
const name = process.argv[2]?.replace(/[^A-Za-z0-9_]/g, '_');
await withScratchDatabase(async (url) => {
  const orm = await openOrm({ databaseUrl: url, poolMax: 2 });
  try {
    await orm.getMigrator().up();
    const result = await orm.getMigrator().createMigration('src/db/migrations', false, false, name);
    if (!result.fileName) {
      console.log('entities and migrations agree: nothing to write');
      return;
    }
    const className = basename(result.fileName).replace(/\.ts$/, '');
    const indexPath = 'src/db/migrations/index.ts';
    const index = readFileSync(indexPath, 'utf8');
    const importLine = `import { ${className} } from './${className}.js';\n`;
    const updated = importLine + index.replace(/\];\s*$/, `  { name: '${className}', class: ${className} },\n];\n`);
    writeFileSync(indexPath, updated);
    console.log(`wrote src/db/migrations/${result.fileName}`);
  } finally {
    await orm.close(true);
  }
}).catch((error: Error) => {
  rmSync('.data/scratch-' + process.pid, { recursive: true, force: true });
  console.error(`migration:create failed: ${error.message}`);
  process.exit(1);
});
rmSync('.data/scratch-' + process.pid, { recursive: true, force: true });
