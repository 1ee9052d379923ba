import type { EntityManager } from '@mikro-orm/postgresql';
import type { TargetRender, TargetRenderer } from '../../pipeline/renderer.registry.js';
import type { RenderTarget } from '../../pipeline/render-target.entity.js';
import { Phonebook } from '../../../model/phonebooks/phonebook.entity.js';
import { Tenant } from '../../../model/directory/tenant.entity.js';
import { isPhonebookFormat, renderPhonebook, type PhonebookEntry, type PhonebookFormat } from '../phonebook/index.js';
import { phonebookArtifacts } from './artifact-files.js';
import { INTERNAL_DIRECTORY_TITLE } from './device-phonebooks.js';
import { directoryEntries } from './directory-entries.js';
import type { TargetRendererOptions } from './target-renderer.options.js';
import { phonebookEntries } from './phonebook-entries.js';
import { phonebookFolderUrl } from './phonebook-urls.js';

/** The target's vendor format; an unknown one fails the target. */
export function formatOf(target: RenderTarget): PhonebookFormat {
  const format = target.format ?? '';
  if (!isPhonebookFormat(format))
    throw new Error(`target ${target.targetKey}: unknown phonebook format "${format.slice(0, 32)}"`);
  return format;
}

/** One format of a book (title and serve token) from its entries, as artifacts under `pb/<token>/`. */
export async function renderVariant(
  options: TargetRendererOptions,
  format: PhonebookFormat,
  book: { title: string; token: string },
  entries: AsyncIterable<PhonebookEntry>,
): Promise<TargetRender> {
  const rendered = await renderPhonebook(
    format,
    { title: book.title, entries },
    { baseUrl: phonebookFolderUrl(options.publicPhoneUrl, book.token) },
  );
  return { files: phonebookArtifacts(book.token, rendered.files), warnings: rendered.warnings };
}

/**
 * Kind `phonebook` (refId = phonebook id, format = vendor format): the phonebook's contacts streamed
 * from the database into the format's renderer. Rendered once per (phonebook, format) and shared
 * by every device that sees it. A phonebook that is gone renders nothing (fan-out removes the target).
 */
export function phonebookTargetRenderer(options: TargetRendererOptions): TargetRenderer {
  return async (em, target) => {
    const format = formatOf(target);
    const book = await em.findOne(Phonebook, { id: target.refId, tenant: target.tenantId });
    if (!book) return { files: [], warnings: [] };
    const knex = (em as EntityManager).getKnex();
    return renderVariant(
      options,
      format,
      { title: book.name, token: book.token },
      phonebookEntries(knex, target.tenantId, book.id),
    );
  };
}

/**
 * Kind `directory` (refId = tenant id, format = vendor format): the tenant's internal directory,
 * served under the tenant's random directory token (tenants.directory_token, docs/rendering.md).
 */
export function directoryTargetRenderer(options: TargetRendererOptions): TargetRenderer {
  return async (em, target) => {
    const format = formatOf(target);
    const tenant = await em.findOne(Tenant, { id: target.refId });
    if (!tenant || tenant.id !== target.tenantId) return { files: [], warnings: [] };
    const knex = (em as EntityManager).getKnex();
    return renderVariant(
      options,
      format,
      { title: INTERNAL_DIRECTORY_TITLE, token: tenant.directoryToken },
      directoryEntries(knex, tenant.id),
    );
  };
}
