/**
 * FreeSWITCH event-socket framing: `Key: Value` header lines ended by an empty line (LF), then
 * `Content-Length` bytes of body when that header is present. Commands go out as one line
 * followed by an empty line.
 */
export interface EslMessage {
  headers: ReadonlyMap<string, string>;
  body: string;
}

const MAX_PENDING_BYTES = 4_194_304;

export function eslHeader(message: EslMessage, name: string): string | undefined {
  return message.headers.get(name.toLowerCase());
}

/** One command line; a line break inside would smuggle a second command. */
export function encodeEslCommand(command: string): string {
  if (/[\r\n\0]/.test(command) || command.trim() === '') throw new TypeError('unsafe ESL command');
  return `${command}\n\n`;
}

export function createEslDecoder(): (chunk: Buffer) => EslMessage[] {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    if (pending.length > MAX_PENDING_BYTES) throw new RangeError('ESL message too large');
    const messages: EslMessage[] = [];
    for (;;) {
      while (pending.length > 0 && (pending[0] === 0x0a || pending[0] === 0x0d)) pending = pending.subarray(1);
      const end = headerEnd(pending);
      if (!end) return messages;
      const headers = new Map<string, string>();
      for (const line of pending.subarray(0, end.headerEnd).toString('utf8').split('\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      const length = Number(headers.get('content-length') ?? 0);
      if (!Number.isInteger(length) || length < 0) throw new RangeError('bad ESL Content-Length');
      if (pending.length < end.bodyStart + length) return messages;
      const body = pending.subarray(end.bodyStart, end.bodyStart + length).toString('utf8');
      pending = pending.subarray(end.bodyStart + length);
      messages.push({ headers, body });
    }
  };
}

function headerEnd(data: Buffer): { headerEnd: number; bodyStart: number } | undefined {
  for (let i = 0; i < data.length - 1; i++) {
    if (data[i] !== 0x0a) continue;
    if (data[i + 1] === 0x0a) return { headerEnd: i, bodyStart: i + 2 };
    if (data[i + 1] === 0x0d && data[i + 2] === 0x0a) return { headerEnd: i, bodyStart: i + 3 };
  }
  return undefined;
}
