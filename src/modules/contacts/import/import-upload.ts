import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BadRequestError, PayloadTooLargeError } from '../../../errors/errors.js';

export interface UploadLimits {
  maxBytes: number;
  /** Uploads up to this size stay in memory and are imported within the request. */
  inlineBytes: number;
  spoolDir: string;
}

export type ReceivedUpload =
  { kind: 'inline'; chunks: Buffer[]; bytes: number } | { kind: 'spooled'; path: string; bytes: number };

function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError('payload_too_large', `the upload is larger than ${maxBytes} bytes`, { maxBytes });
}

/** Refuses an upload whose declared size is over the limit, before a byte of it is read. */
export function checkDeclaredLength(contentLength: string | undefined, maxBytes: number): void {
  if (contentLength === undefined) return;
  if (!/^\d+$/.test(contentLength))
    throw new BadRequestError('invalid_content_length', 'Content-Length is not a number');
  if (Number(contentLength) > maxBytes) throw tooLarge(maxBytes);
}

/**
 * Reads the request body once. Up to `inlineBytes` stay in memory; past that, what was read and
 * the rest go to a spool file (mode 0600) for a job. Bytes are counted as they arrive, so a body
 * without Content-Length (or lying about it) is cut off at the limit with 413, and a partial
 * spool file is removed.
 */
export async function receiveUpload(
  body: AsyncIterable<Buffer | Uint8Array | string>,
  limits: UploadLimits,
): Promise<ReceivedUpload> {
  const iterator = body[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let bytes = 0;
  const next = async (): Promise<Buffer | null> => {
    const step = await iterator.next();
    if (step.done) return null;
    const chunk =
      typeof step.value === 'string'
        ? Buffer.from(step.value)
        : Buffer.from(step.value.buffer, step.value.byteOffset, step.value.byteLength);
    bytes += chunk.length;
    if (bytes > limits.maxBytes) throw tooLarge(limits.maxBytes);
    return chunk;
  };
  for (let chunk = await next(); chunk !== null; chunk = await next()) {
    chunks.push(chunk);
    if (bytes > limits.inlineBytes) return spool(chunks, next, limits, () => bytes);
  }
  return { kind: 'inline', chunks, bytes };
}

async function spool(
  head: Buffer[],
  next: () => Promise<Buffer | null>,
  limits: UploadLimits,
  bytes: () => number,
): Promise<ReceivedUpload> {
  await mkdir(limits.spoolDir, { recursive: true, mode: 0o700 });
  const path = join(limits.spoolDir, `${randomUUID()}.upload`);
  async function* all(): AsyncGenerator<Buffer> {
    while (head.length > 0) yield head.shift()!;
    for (let chunk = await next(); chunk !== null; chunk = await next()) yield chunk;
  }
  try {
    await pipeline(Readable.from(all()), createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return { kind: 'spooled', path, bytes: bytes() };
}
