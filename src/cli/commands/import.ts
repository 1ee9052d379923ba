import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { AdminApi } from '../api.js';
import { ProgressBar, sleep } from '../output.js';
import { CliError, currentSession, tenantOf } from '../session.js';

interface ImportView {
  id: string | null;
  status: 'queued' | 'running' | 'done' | 'failed';
  totalBytes: number;
  bytesRead: number;
  rowsRead: number;
  created: number;
  merged: number;
  duplicatesFound: number;
  failed: number;
  errorCount: number;
  errors: { line: number; field: string; code: string; message: string }[];
  failure: string | null;
}

const FORMATS: Record<string, { format: string; contentType: string }> = {
  '.csv': { format: 'csv', contentType: 'text/csv' },
  '.vcf': { format: 'vcard', contentType: 'text/vcard' },
  '.vcard': { format: 'vcard', contentType: 'text/vcard' },
};

/** `provd import contacts <file>`: uploads the file; big files become a job that --follow watches. */
export function importCommand(program: Command): void {
  const importing = program.command('import').description('Bulk imports');
  importing
    .command('contacts')
    .description('Import company contacts from a CSV or vCard file')
    .argument('<file>', '.csv or .vcf file')
    .option('--format <format>', 'csv or vcard (default: from the file extension)')
    .option('--dry-run', 'report what would happen, write nothing')
    .option('--duplicates <mode>', 'merge or report')
    .option('--phonebook <id>', 'also add the contacts to this phonebook')
    .option('--follow', 'follow a queued import with a progress bar until it ends')
    .option('--interval <ms>', 'poll interval', '1000')
    .action(
      async (
        file: string,
        options: {
          format?: string;
          dryRun?: boolean;
          duplicates?: string;
          phonebook?: string;
          follow?: boolean;
          interval: string;
        },
      ) => {
        const known = FORMATS[extname(file).toLowerCase()];
        const format = options.format ?? known?.format;
        if (!format) throw new CliError('cannot tell the format from the file name: pass --format csv|vcard', 2);
        const body = await readFile(file).catch((error: Error) => {
          throw new CliError(`cannot read ${file}: ${error.message}`);
        });
        const session = currentSession();
        const api = new AdminApi(session);
        const tenant = tenantOf(session);
        const answer = await api.call<ImportView>(`/tenants/${tenant}/contacts/import`, {
          method: 'POST',
          query: { format, dryRun: options.dryRun, duplicates: options.duplicates, phonebook: options.phonebook },
          body,
          contentType: format === 'csv' ? 'text/csv' : 'text/vcard',
        });
        let view = answer.body;
        if (answer.status === 202) {
          console.log(`import queued: ${view.id}`);
          if (!options.follow) return;
          const bar = new ProgressBar();
          while (view.status === 'queued' || view.status === 'running') {
            bar.update(view.bytesRead, view.totalBytes, `bytes, ${view.rowsRead} rows (${view.status})`);
            await sleep(Math.max(50, Number(options.interval)));
            view = await api.get<ImportView>(`/tenants/${tenant}/contacts/imports/${view.id}`);
          }
          bar.update(view.bytesRead, view.totalBytes, `bytes, ${view.rowsRead} rows (${view.status})`);
          bar.finish();
        }
        report(view);
        if (view.status === 'failed' || view.failed > 0) process.exitCode = 1;
      },
    );
}

function report(view: ImportView): void {
  console.log(
    `${view.status}: ${view.rowsRead} rows read, ${view.created} created, ${view.merged} merged, ${view.duplicatesFound} duplicates, ${view.failed} failed`,
  );
  for (const error of view.errors.slice(0, 20))
    console.error(`line ${error.line}: ${error.field}: ${error.message} (${error.code})`);
  if (view.errorCount > 20) console.error(`… and ${view.errorCount - 20} more row errors`);
  if (view.failure) console.error(`failure: ${view.failure}`);
}
