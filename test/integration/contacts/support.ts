import type { Readable } from 'node:stream';
import type { TestContext } from '../../helpers/context.js';

export interface UploadResponse {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

/** POSTs a raw file to contacts/import, as a client uploading a CSV or vCard would. */
export async function upload(
  ctx: TestContext,
  token: string,
  slug: string,
  payload: string | Buffer | Readable,
  query: string,
  headers: Record<string, string> = {},
): Promise<UploadResponse> {
  const response = await ctx.admin.inject({
    method: 'POST',
    url: `/api/v1/tenants/${slug}/contacts/import?${query}`,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': query.includes('vcard') ? 'text/vcard' : 'text/csv',
      ...headers,
    },
    payload,
  });
  return {
    status: response.statusCode,
    body: response.body ? JSON.parse(response.body) : undefined,
    headers: response.headers,
  };
}

export async function download(
  ctx: TestContext,
  token: string,
  slug: string,
  query: string,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const response = await ctx.admin.inject({
    method: 'GET',
    url: `/api/v1/tenants/${slug}/contacts/export?${query}`,
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.statusCode, body: response.body, headers: response.headers };
}

export interface ComparableContact {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  title: string | null;
  email: string | null;
  numbers: { type: string; number: string }[];
}

/** Every contact of a tenant through the API, without ids or timestamps, in a canonical order. */
export async function allContacts(ctx: TestContext, token: string, slug: string): Promise<ComparableContact[]> {
  const out: ComparableContact[] = [];
  for (let offset = 0; ; offset += 500) {
    const response = await ctx.admin.inject({
      method: 'GET',
      url: `/api/v1/tenants/${slug}/contacts?limit=500&offset=${offset}`,
      headers: { authorization: `Bearer ${token}` },
    });
    const page = response.json() as { items: (ComparableContact & { id: string })[]; total: number };
    out.push(
      ...page.items.map(({ firstName, lastName, company, title, email, numbers }) => ({
        firstName,
        lastName,
        company,
        title,
        email,
        numbers,
      })),
    );
    if (offset + 500 >= page.total) break;
  }
  return out.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

export function csv(lines: string[]): string {
  return lines.join('\r\n') + '\r\n';
}
