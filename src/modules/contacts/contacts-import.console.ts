import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { stringify } from 'csv-stringify';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../config/config.js';
import type { Queues } from '../../queues/queues.js';
import { BadRequestError, NotFoundError } from '../../errors/errors.js';
import { tenantOf } from '../auth/guards.js';
import { pageContext } from '../console/page-context.js';
import { setFlash } from '../console/flash.js';
import { uuidParam } from '../console/params.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { requireContactPermission } from './contact-permissions.service.js';
import { IMPORT_FORMATS, type ImportFormat } from '../../model/contacts/contact-import.entity.js';
import { getImport, startImport } from './imports.service.js';
import { runImport, type ImportSummary } from './import/import-runner.js';
import { receiveUpload } from './import/import-upload.js';
import { neutraliseCell } from './io/csv-cells.js';

/** An uploaded file waiting at the preview: its dry run, kept beside the spooled upload until Confirm or Cancel. */
interface Draft {
  tenantId: string;
  format: ImportFormat;
  fileName: string;
  bytes: number;
  summary: ImportSummary;
}

const PREVIEW_ERRORS = 50;

/**
 * /console/t/:tenant/contacts/import — the import wizard: upload (multipart, streamed to a spool
 * file like the REST import's), the dry run as preview, Confirm (the REST startImport: within the
 * request or as a job), a progress bar polled every second, the refused rows as CSV.
 */
export function contactsImportConsole(deps: { orm: MikroORM; config: Config; queues: Queues }) {
  return async function register(app: FastifyInstance): Promise<void> {
    await app.register(multipart, { limits: { files: 1, fileSize: deps.config.importMaxBytes, fields: 5 } });
    const em = () => deps.orm.em as EntityManager;
    const base = '/t/:tenant/contacts';
    const dir = resolve(join(deps.config.dataDir, 'console-imports'));
    const href = (tenant: Tenant) => `/console/t/${encodeURIComponent(tenant.slug)}/contacts`;
    const paths = (id: string) => ({ upload: join(dir, `${id}.upload`), draft: join(dir, `${id}.json`) });

    async function loadDraft(request: FastifyRequest, tenant: Tenant): Promise<{ id: string; draft: Draft }> {
      const id = uuidParam(request, 'draft', 'import');
      const text = await readFile(paths(id).draft, 'utf8').catch(() => null);
      const draft = text ? (JSON.parse(text) as Draft) : null;
      if (!draft || draft.tenantId !== tenant.id) throw new NotFoundError('import');
      return { id, draft };
    }
    /** Previews nobody confirmed or cancelled, with their uploads (and spools of uploads cut off midway). */
    async function sweepAbandoned(): Promise<void> {
      const cutoff = Date.now() - deps.config.consoleImportDraftSeconds * 1000;
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names) {
        const path = join(dir, name);
        const info = await stat(path).catch(() => null);
        if (info?.isFile() && info.mtimeMs < cutoff) await rm(path, { force: true });
      }
    }
    app.addHook('onReady', async () => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await sweepAbandoned();
    });

    async function dropDraft(id: string, uploadPath?: string): Promise<void> {
      await Promise.all([rm(paths(id).draft, { force: true }), rm(uploadPath ?? paths(id).upload, { force: true })]);
    }

    app.get(`${base}/import`, { preHandler: requireContactPermission('import') }, async (request, reply) => {
      const tenant = tenantOf(request);
      return reply.view('contacts/views/import-upload', {
        ...pageContext(request, reply, { tenant, active: 'contacts', title: 'Import contacts' }),
        formats: IMPORT_FORMATS,
      });
    });

    // The form posts with htmx (multipart body, CSRF token in the x-csrf-token header) and is sent to the preview.
    app.post(`${base}/import`, { preHandler: requireContactPermission('import') }, async (request, reply) => {
      const tenant = tenantOf(request);
      await sweepAbandoned();
      const part = await request.file();
      if (!part) throw new BadRequestError('empty_upload', 'choose a CSV or vCard file');
      const formatField = part.fields.format as { value?: unknown } | undefined;
      const format =
        IMPORT_FORMATS.find((f) => f === formatField?.value) ?? (/\.vcf$/i.test(part.filename) ? 'vcard' : 'csv');
      const upload = await receiveUpload(part.file, {
        maxBytes: deps.config.importMaxBytes,
        inlineBytes: 0,
        spoolDir: dir,
      });
      if (upload.kind === 'inline' || upload.bytes === 0)
        throw new BadRequestError('empty_upload', 'the file is empty');
      const summary = await runImport(em().getKnex(), createReadStream(upload.path), {
        tenantId: tenant.id,
        format,
        dryRun: true,
        duplicates: 'merge',
        phonebookId: null,
        defaultCountry: tenant.defaultCountry ?? undefined,
      });
      const id = randomUUID();
      await rename(upload.path, paths(id).upload);
      const draft: Draft = {
        tenantId: tenant.id,
        format,
        fileName: part.filename.slice(0, 200),
        bytes: upload.bytes,
        summary,
      };
      await writeFile(paths(id).draft, JSON.stringify(draft), { mode: 0o600 });
      const next = `${href(tenant)}/import/${id}`;
      if (request.headers['hx-request'] === 'true') return reply.header('hx-redirect', next).status(204).send();
      return reply.redirect(next, 303);
    });

    app.get(`${base}/import/:draft`, { preHandler: requireContactPermission('import') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const { id, draft } = await loadDraft(request, tenant);
      return reply.view('contacts/views/import-preview', {
        ...pageContext(request, reply, { tenant, active: 'contacts', title: 'Import preview' }),
        id,
        draft,
        errors: draft.summary.errors.slice(0, PREVIEW_ERRORS),
      });
    });

    app.post(
      `${base}/import/:draft/cancel`,
      { preHandler: requireContactPermission('import') },
      async (request, reply) => {
        const tenant = tenantOf(request);
        const { id } = await loadDraft(request, tenant);
        await dropDraft(id);
        setFlash(request, { kind: 'warning', text: 'Import cancelled; nothing was written.' });
        return reply.redirect(href(tenant), 303);
      },
    );

    app.post(
      `${base}/import/:draft/confirm`,
      { preHandler: requireContactPermission('import') },
      async (request, reply) => {
        const tenant = tenantOf(request);
        const { id, draft } = await loadDraft(request, tenant);
        const { view } = await startImport(deps, em(), {
          tenant,
          query: { format: draft.format, dryRun: false, duplicates: 'merge' },
          body: createReadStream(paths(id).upload),
          contentLength: String(draft.bytes),
          contentType: undefined,
        });
        await dropDraft(id);
        return reply.redirect(`${href(tenant)}/imports/${view.id}`, 303);
      },
    );

    async function progress(request: FastifyRequest) {
      const tenant = tenantOf(request);
      const view = await getImport(em(), tenant, uuidParam(request, 'id', 'import'));
      const finished = view.status === 'done' || view.status === 'failed';
      const percent = finished
        ? 100
        : view.totalBytes > 0
          ? Math.min(99, Math.floor((view.bytesRead / view.totalBytes) * 100))
          : 0;
      return { tenant, view, finished, percent, base: href(tenant) };
    }

    app.get(`${base}/imports/:id`, { preHandler: requireContactPermission('import') }, async (request, reply) => {
      const state = await progress(request);
      return reply.view('contacts/views/import-result', {
        ...pageContext(request, reply, { tenant: state.tenant, active: 'contacts', title: 'Import' }),
        ...state,
      });
    });

    app.get(
      `${base}/imports/:id/progress`,
      { preHandler: requireContactPermission('import') },
      async (request, reply) => reply.view('contacts/views/import-progress', { ...(await progress(request)) }),
    );

    app.get(
      `${base}/imports/:id/refused.csv`,
      { preHandler: requireContactPermission('import') },
      async (request, reply) => {
        const tenant = tenantOf(request);
        const view = await getImport(em(), tenant, uuidParam(request, 'id', 'import'));
        const csv = stringify({ header: true, columns: ['line', 'field', 'code', 'message'] });
        for (const e of view.errors)
          csv.write([String(e.line), neutraliseCell(e.field), neutraliseCell(e.code), neutraliseCell(e.message)]);
        csv.end();
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="refused-rows-${view.id}.csv"`)
          .header('cache-control', 'no-store')
          .send(csv);
      },
    );
  };
}
