/**
 * Asterisk Manager Interface framing: after a one-line banner, messages are blocks of
 * `Key: Value` lines ended by an empty line (CRLF on the wire; bare LF tolerated). Keys are
 * case-insensitive and may repeat (`Variable:`), so a message keeps its fields in order.
 */
export interface AmiMessage {
  fields: ReadonlyArray<readonly [string, string]>;
}

export type AmiField = readonly [string, string];

const MAX_PENDING_BYTES = 1_048_576;

export function amiField(message: AmiMessage, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return message.fields.find(([key]) => key.toLowerCase() === wanted)?.[1];
}

/** True for values AMI would misread: a line break would start a new header (injection). */
export function isSafeAmiValue(value: string): boolean {
  return !/[\r\n\0]/.test(value);
}

export function encodeAmiAction(fields: readonly AmiField[]): string {
  for (const [key, value] of fields) {
    if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(key) || !isSafeAmiValue(value)) throw new TypeError('unsafe AMI field');
  }
  return fields.map(([key, value]) => `${key}: ${value}\r\n`).join('') + '\r\n';
}

/** A stateful decoder for one connection; the banner comes out as a message with a `Banner` field. */
export function createAmiDecoder(): (chunk: Buffer) => AmiMessage[] {
  let pending = '';
  let bannerSeen = false;
  let current: Array<[string, string]> = [];
  return (chunk) => {
    pending += chunk.toString('utf8');
    if (pending.length > MAX_PENDING_BYTES) throw new RangeError('AMI message too large');
    const messages: AmiMessage[] = [];
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline).replace(/\r$/, '');
      pending = pending.slice(newline + 1);
      if (!bannerSeen) {
        bannerSeen = true;
        if (!line.includes(': ')) {
          messages.push({ fields: [['Banner', line]] });
          continue;
        }
      }
      if (line === '') {
        if (current.length > 0) messages.push({ fields: current });
        current = [];
        continue;
      }
      const colon = line.indexOf(':');
      if (colon > 0) current.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
      else current.push(['', line]);
    }
    return messages;
  };
}
