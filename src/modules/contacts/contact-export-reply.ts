import type { FastifyReply } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Phonebook } from '../../model/phonebooks/phonebook.entity.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { contactsForExport } from './contact-export.js';
import { exportCsv } from './io/csv-export.js';
import { exportVcard } from './io/vcard-export.js';

const EXPORT_TYPES = {
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  vcard: { contentType: 'text/vcard; charset=utf-8', extension: 'vcf' },
};

/**
 * Streams the tenant's contacts (or one phonebook's) as a CSV or vCard attachment. One place for
 * the REST export and the console's export buttons.
 */
export async function sendContactsExport(
  em: EntityManager,
  reply: FastifyReply,
  tenant: Tenant,
  format: 'csv' | 'vcard',
  phonebookId?: string,
): Promise<FastifyReply> {
  const phonebook = phonebookId ? await findInTenant(em, Phonebook, tenant, phonebookId, 'phonebook') : null;
  const contacts = contactsForExport(em.getKnex(), tenant.id, phonebook?.id ?? null);
  const type = EXPORT_TYPES[format];
  const stream = format === 'csv' ? exportCsv(contacts) : exportVcard(contacts);
  return (
    reply
      .header('content-type', type.contentType)
      .header('content-disposition', `attachment; filename="contacts-${tenant.slug}.${type.extension}"`)
      .header('cache-control', 'no-store')
      // A REST 200 schema documents the file; the stream itself goes out unserialised.
      .send(stream as never)
  );
}
