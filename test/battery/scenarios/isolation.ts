import type { AdminClient } from '../lib/admin.js';
import type { BatteryContext } from '../lib/context.js';
import { operationsOf, pathParams, sample, type Operation, type ValueHints } from '../lib/openapi-fill.js';
import type { Recorder } from '../lib/result.js';
import { contactsCsv, vendorMac } from '../lib/seed.js';

type Item = Record<string, unknown>;

function itemsIn(body: unknown, segment: string): Item[] {
  if (Array.isArray(body)) return body as Item[];
  if (!body || typeof body !== 'object') return [];
  const record = body as Record<string, unknown>;
  for (const key of ['items', segment, 'files', 'members'])
    if (Array.isArray(record[key])) return record[key] as Item[];
  return [];
}

/**
 * Resolves a path template's parameters to tenant A's real resources, parameter by parameter:
 * the collection the parameter sits in is listed with A's own token (or, for collections
 * without a list route, read from the parent object), and its first element is taken.
 */
async function resolvePath(
  template: string,
  owner: AdminClient,
  slug: string,
  fixed: Record<string, string>,
): Promise<string | undefined> {
  let resolved = template.replace('{tenant}', slug);
  for (const param of pathParams(template).filter((name) => name !== 'tenant')) {
    const at = resolved.indexOf(`{${param}}`);
    const prefix = resolved.slice(0, at - 1);
    const special = Object.entries(fixed).find(([suffix]) => prefix.endsWith(suffix));
    let value: string | undefined = special?.[1];
    if (value === undefined) {
      const segment = prefix.split('/').pop()!;
      const listed = await owner.request('GET', `${prefix}?limit=5&offset=0`);
      let items = listed.status === 200 ? itemsIn(listed.body, segment) : [];
      if (items.length === 0) {
        const parent = await owner.request('GET', prefix.slice(0, prefix.lastIndexOf('/')));
        items = parent.status === 200 ? itemsIn(parent.body, segment) : [];
      }
      const item = items[0];
      const candidate = item?.[param] ?? item?.id ?? item?.accountId ?? item?.name;
      value = typeof candidate === 'string' ? candidate : undefined;
    }
    if (value === undefined) return undefined;
    resolved = resolved.replace(`{${param}}`, encodeURIComponent(value));
  }
  return resolved;
}

function queryFor(operation: Operation, slug: string): string {
  const values: Record<string, string> = { limit: '5', offset: '0', format: 'csv', confirm: slug };
  const query = operation.parameters
    .filter((p) => p.in === 'query' && (p.required || p.name === 'confirm'))
    .map((p) => `${p.name}=${encodeURIComponent(values[p.name] ?? 'x')}`);
  return query.length ? `?${query.join('&')}` : '';
}

/**
 * The tenant-isolation sweep, generated from the OpenAPI document: every admin operation,
 * parameters filled with tenant A's real ids (bodies too, where they reference resources), sent
 * with tenant B's owner token. Nothing may answer 2xx; an operation that names no resource of A
 * (e.g. listing tenants) may answer 2xx only without a trace of A in the body.
 */
export async function isolationSweep(context: BatteryContext, record: Recorder): Promise<void> {
  const { a, b, stack, extras } = context;
  const document = (await (await fetch(`${stack.adminUrl}/docs/json`)).json()) as {
    paths: Record<string, Record<string, any>>;
  };
  const operations = operationsOf(document);
  const fixed = { '/jobs': extras.jobId, '/contacts/imports': extras.importId, '/groups': a.groupId };
  const hints: ValueHints = {
    anyId: a.accounts[0]!.id,
    groupId: a.groupId,
    accountId: a.accounts[0]!.id,
    profileId: a.profileId,
    defaultProfileId: a.profileId,
    contactIds: extras.contactIds.slice(0, 2),
    contactId: extras.contactIds[0],
    ids: extras.contactIds.slice(0, 2),
    groupIds: [a.groupId],
    phonebookIds: [a.phonebook.id],
    memberAccountIds: [a.accounts[0]!.id],
    numbers: ['+4930555999'],
    extension: '7100',
    mac: vendorMac('yealink'),
    vendor: 'yealink',
    slug: `sweep-${Date.now().toString(36)}`,
    name: 'Sweep',
    lastName: 'Sweep',
    displayName: 'Sweep',
    level: 'national',
    driver: 'none',
    role: 'viewer',
    id: 'sweep1',
    digit: '1',
    reboot: false,
    admin: [],
    viewer: [],
    lines: [],
  };
  const aMarkers = [a.slug, a.id];
  const results: { operation: string; status: number; leak: boolean }[] = [];
  let unresolved = 0;
  let controlReads = 0;
  let controlOk = 0;
  for (const operation of operations) {
    const path = await resolvePath(operation.path, a.owner, a.slug, fixed);
    if (!path) {
      unresolved += 1;
      results.push({ operation: `${operation.method} ${operation.path}`, status: -1, leak: false });
      continue;
    }
    const url = path + queryFor(operation, a.slug);
    if (operation.method === 'GET' && path.includes(a.slug)) {
      controlReads += 1;
      if ((await a.owner.request('GET', url)).status < 300) controlOk += 1;
    }
    const body = operation.rawBody
      ? contactsCsv(2, 'Sweep', 5_000_000)
      : operation.body
        ? sample(operation.body, hints)
        : ['POST', 'PUT'].includes(operation.method)
          ? {}
          : undefined;
    const answer = await b.owner.request(operation.method, url, body);
    const namesA = path.includes(a.slug) || Object.values(fixed).some((id) => path.includes(id));
    const leak = answer.status < 300 && (namesA || aMarkers.some((marker) => answer.text.includes(marker)));
    results.push({ operation: `${operation.method} ${operation.path}`, status: answer.status, leak });
  }
  const statuses: Record<string, number> = {};
  for (const result of results) statuses[String(result.status)] = (statuses[String(result.status)] ?? 0) + 1;
  const leaks = results.filter((result) => result.leak);

  record.figure('operations in the OpenAPI document (swept)', operations.length);
  record.figure(
    'answers with tenant B’s token',
    Object.entries(statuses)
      .map(([status, n]) => `${status === '-1' ? 'unresolved' : status}: ${n}`)
      .join(', '),
  );
  record.figure('control: tenant A’s own token reads', `${controlOk} of ${controlReads} GET routes`);
  const early = results.filter((result) => result.status === 400 || result.status === 415);
  record.figure(
    'refused on the request’s form (400/415) before any tenant check',
    early.map((result) => `${result.operation} → ${result.status}`).join('; ') || 'none',
  );
  record.expect(
    'operations answering 2xx across tenants',
    leaks.length,
    0,
    leaks.length ? leaks.map((leak) => `${leak.operation} → ${leak.status}`).join('; ') : `0 of ${operations.length}`,
  );
  record.expect(
    'operations the sweep could not aim at A’s resources',
    unresolved,
    0,
    results
      .filter((r) => r.status === -1)
      .map((r) => r.operation)
      .join('; ') || '0',
  );
  record.expect(
    'control reads that failed for A’s own token',
    controlReads - controlOk,
    0,
    `${controlOk} of ${controlReads}`,
  );
}
