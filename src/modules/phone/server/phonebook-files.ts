import type { FastifyReply } from 'fastify';
import { ciscoSearchInput, ciscoSearchPage, gigasetList, yealinkSearchResult } from '../../render/phonebook/browse.js';
import type { PhonebookFormat } from '../requested-file.js';
import { CISCO_SEARCH_FILE } from '../requested-file.js';
import type { PhoneRequest } from './phone-request.js';
import { queryValue } from './phone-request.js';
import type { PhoneServer } from './phone-server.js';
import { sendBytes, sendDynamic, sendForbidden, sendNotFound } from './respond.js';

export interface PhonebookFileRequest {
  token: string;
  format: PhonebookFormat;
  page?: number;
  search?: true;
  tenantPrefix?: string;
}

const XML = 'text/xml; charset=utf-8';

/**
 * `/pb/<token>/<file>`: the token is the capability. A token without files is a miss that counts
 * towards the ban guard (so tokens cannot be guessed at speed); tokens are never logged. Server-
 * side search is answered from an in-memory index of the phonebook's entries:
 * - Yealink: `yealink.xml?q=<text>` (the phone substitutes `#SEARCH` in its configured URL);
 * - Cisco: `cisco-search.xml` answers the input prompt, `cisco-search.xml?q=<text>&page=<n>` pages;
 * - Gigaset: `gigaset.xml?first=<n>&count=<n>[&set_first=<letters>]`.
 */
export async function servePhonebook(
  server: PhoneServer,
  request: PhoneRequest,
  file: PhonebookFileRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const name = file.search ? 'cisco.xml' : file.page !== undefined ? `cisco-${file.page}.xml` : `${file.format}.xml`;
  const artifact = await server.artifacts.get(`pb/${file.token}/${name}`);
  if (!artifact) {
    const counted = await server.banGuard.recordSensitive(request.ip);
    return counted.banned ? sendForbidden(reply) : sendNotFound(reply);
  }
  const query = queryValue(request.query, 'q');

  if (file.search) {
    const baseUrl = `${server.urlFor(file.tenantPrefix)}/pb/${file.token}/${CISCO_SEARCH_FILE}`;
    const book = await server.search.get(artifact.targetId);
    if (!book) return sendNotFound(reply);
    if (query === undefined)
      return sendDynamic(reply, ciscoSearchInput(baseUrl, { title: book.title }), XML, request.head);
    const page = Number(queryValue(request.query, 'page', 8) ?? '1');
    return sendDynamic(reply, ciscoSearchPage(book.index, query, page, baseUrl), XML, request.head);
  }
  if ((file.format === 'yealink' || file.format === 'yealink-grouped') && query !== undefined) {
    const book = await server.search.get(artifact.targetId);
    if (!book) return sendNotFound(reply);
    return sendDynamic(reply, yealinkSearchResult(book.index, query), XML, request.head);
  }
  const first = queryValue(request.query, 'first', 8);
  const count = queryValue(request.query, 'count', 8);
  const setFirst = queryValue(request.query, 'set_first', 64);
  if (file.format === 'gigaset' && (first !== undefined || count !== undefined || setFirst !== undefined)) {
    const book = await server.search.get(artifact.targetId);
    if (!book) return sendNotFound(reply);
    const body = gigasetList(book.index, { first: Number(first ?? '1'), count: Number(count ?? '50'), setFirst });
    return sendDynamic(reply, body, XML, request.head);
  }
  return sendBytes(reply, artifact, request);
}
