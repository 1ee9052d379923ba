/**
 * Building the one request we send (an out-of-dialog NOTIFY) and parsing what comes back.
 * Parsing is lenient where phones are sloppy (bare LF, compact header names, folded lines,
 * several Via values on one line) and strict about framing (Content-Length on streams).
 */
export interface NotifyRequestSpec {
  requestUri: string;
  toUri: string;
  transport: 'UDP' | 'TCP';
  /** host:port for the Via sent-by (IPv6 hosts already bracketed). */
  sentBy: string;
  branch: string;
  fromUri: string;
  fromTag: string;
  callId: string;
  cseq: number;
  contactUri: string;
  event: string;
  contentType?: string;
  body?: string;
  userAgent?: string;
}

export function buildNotifyRequest(spec: NotifyRequestSpec): Buffer {
  const body = Buffer.from(spec.body ?? '', 'utf8');
  const lines = [
    `NOTIFY ${spec.requestUri} SIP/2.0`,
    `Via: SIP/2.0/${spec.transport} ${spec.sentBy};branch=${spec.branch};rport`,
    'Max-Forwards: 70',
    `From: <${spec.fromUri}>;tag=${spec.fromTag}`,
    `To: <${spec.toUri}>`,
    `Call-ID: ${spec.callId}`,
    `CSeq: ${spec.cseq} NOTIFY`,
    `Contact: <${spec.contactUri}>`,
    `Event: ${spec.event}`,
    'Subscription-State: terminated',
  ];
  if (spec.userAgent) lines.push(`User-Agent: ${spec.userAgent}`);
  if (body.length > 0) lines.push(`Content-Type: ${spec.contentType ?? 'text/plain'}`);
  lines.push(`Content-Length: ${body.length}`);
  for (const line of lines) {
    if (/[\r\n\0]/.test(line)) throw new TypeError('SIP header values must be single lines');
  }
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'utf8'), body]);
}

export interface SipMessage {
  kind: 'request' | 'response';
  status?: number;
  reason?: string;
  method?: string;
  /** Header values by lowercase full name, in arrival order. */
  headers: ReadonlyMap<string, readonly string[]>;
  body: Buffer;
}

const COMPACT: Record<string, string> = {
  v: 'via',
  i: 'call-id',
  f: 'from',
  t: 'to',
  l: 'content-length',
  c: 'content-type',
  m: 'contact',
  e: 'content-encoding',
  k: 'supported',
  o: 'event',
  s: 'subject',
  u: 'allow-events',
  r: 'refer-to',
  b: 'referred-by',
  x: 'session-expires',
  a: 'accept-contact',
  j: 'reject-contact',
  d: 'request-disposition',
};

export const MAX_SIP_MESSAGE_BYTES = 65_535;

/** Index just past the blank line ending the header section, and the separator's length. */
export function findHeaderEnd(data: Buffer, from = 0): { headerEnd: number; bodyStart: number } | undefined {
  for (let i = from; i < data.length - 1; i++) {
    if (data[i] !== 0x0a) continue;
    if (data[i + 1] === 0x0a) return { headerEnd: i, bodyStart: i + 2 };
    if (data[i + 1] === 0x0d && data[i + 2] === 0x0a) return { headerEnd: i, bodyStart: i + 3 };
  }
  return undefined;
}

/** Parses one complete message (a datagram, or a frame cut by SipStreamDecoder). */
export function parseSipMessage(data: Buffer): SipMessage | undefined {
  let start = 0;
  while (start < data.length && (data[start] === 0x0d || data[start] === 0x0a)) start++;
  const end = findHeaderEnd(data, start);
  const headerText = data.subarray(start, end ? end.headerEnd : data.length).toString('utf8');
  const body = end ? data.subarray(end.bodyStart) : Buffer.alloc(0);
  const lines = headerText.split(/\r?\n/);
  const startLine = lines.shift()?.trim() ?? '';
  const headers = parseHeaderLines(lines);
  if (!headers) return undefined;

  const response = /^SIP\/2\.0\s+(\d{3})(?:\s+(.*))?$/i.exec(startLine);
  if (response) {
    return { kind: 'response', status: Number(response[1]), reason: (response[2] ?? '').trim(), headers, body };
  }
  const request = /^([A-Za-z]+)\s+\S+\s+SIP\/2\.0$/i.exec(startLine);
  if (request) return { kind: 'request', method: request[1]!.toUpperCase(), headers, body };
  return undefined;
}

function parseHeaderLines(lines: string[]): Map<string, string[]> | undefined {
  const unfolded: string[] = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && unfolded.length > 0) unfolded[unfolded.length - 1] += ' ' + line.trim();
    else if (line.trim() !== '') unfolded.push(line);
  }
  const headers = new Map<string, string[]>();
  for (const line of unfolded) {
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const rawName = line.slice(0, colon).trim().toLowerCase();
    const name = COMPACT[rawName] ?? rawName;
    const value = line.slice(colon + 1).trim();
    const values = name === 'via' ? splitOutsideQuotes(value) : [value];
    headers.set(name, [...(headers.get(name) ?? []), ...values]);
  }
  return headers;
}

function splitOutsideQuotes(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  parts.push(current.trim());
  return parts.filter((p) => p !== '');
}

export function firstHeader(message: SipMessage, name: string): string | undefined {
  return message.headers.get(name.toLowerCase())?.[0];
}

export function topViaBranch(message: SipMessage): string | undefined {
  const via = firstHeader(message, 'via');
  if (!via) return undefined;
  const match = /;\s*branch\s*=\s*([^;\s,]+)/i.exec(via);
  return match?.[1];
}

export function parseCSeq(message: SipMessage): { seq: number; method: string } | undefined {
  const match = /^(\d{1,10})\s+([A-Za-z]+)$/.exec(firstHeader(message, 'cseq') ?? '');
  return match ? { seq: Number(match[1]), method: match[2]!.toUpperCase() } : undefined;
}

/**
 * Cuts a TCP byte stream into messages using Content-Length (mandatory on streams, RFC 3261
 * §18.3; absent means 0). CRLF keep-alives between messages (RFC 5626) are skipped.
 */
export class SipStreamDecoder {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Buffer[] = [];
    for (;;) {
      let start = 0;
      while (start < this.buffer.length && (this.buffer[start] === 0x0d || this.buffer[start] === 0x0a)) start++;
      if (start > 0) this.buffer = this.buffer.subarray(start);
      const end = findHeaderEnd(this.buffer);
      if (!end) {
        if (this.buffer.length > MAX_SIP_MESSAGE_BYTES) throw new RangeError('SIP header section too large');
        return frames;
      }
      const lengthMatch = /^(?:content-length|l)[ \t]*:[ \t]*(\d+)[ \t\r]*$/im.exec(
        this.buffer.subarray(0, end.headerEnd).toString('latin1'),
      );
      const bodyLength = lengthMatch ? Number(lengthMatch[1]) : 0;
      if (end.bodyStart + bodyLength > MAX_SIP_MESSAGE_BYTES) throw new RangeError('SIP message too large');
      if (this.buffer.length < end.bodyStart + bodyLength) return frames;
      frames.push(this.buffer.subarray(0, end.bodyStart + bodyLength));
      this.buffer = this.buffer.subarray(end.bodyStart + bodyLength);
    }
  }
}
