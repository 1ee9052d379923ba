import { constants, type ReadStream } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

export interface FirmwareFile {
  stream: ReadStream;
  size: number;
  etag: string;
}

/**
 * Files under the configured firmware folder, streamed. A name is resolved inside the folder
 * and then through symlinks; anything that ends up outside the folder, or is not a regular file,
 * is "not found". The file is opened once and streamed from that descriptor, so it cannot be
 * swapped between the check and the read.
 */
export class FirmwareFolder {
  private root: Promise<string | undefined> | undefined;

  constructor(private readonly folder: string | undefined) {}

  async open(name: string): Promise<FirmwareFile | undefined> {
    const root = await this.resolvedRoot();
    if (!root || name.includes('\0') || isAbsolute(name)) return undefined;
    const candidate = resolve(root, name);
    if (!inside(root, candidate)) return undefined;
    let real: string;
    try {
      real = await realpath(candidate);
    } catch {
      return undefined;
    }
    if (!inside(root, real)) return undefined;
    let handle;
    try {
      handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch {
      return undefined;
    }
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) {
        await handle.close();
        return undefined;
      }
      const stream = handle.createReadStream({ autoClose: true });
      return {
        stream,
        size: stats.size,
        etag: `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`,
      };
    } catch {
      await handle.close().catch(() => undefined);
      return undefined;
    }
  }

  private resolvedRoot(): Promise<string | undefined> {
    this.root ??= this.folder ? realpath(this.folder).catch(() => undefined) : Promise.resolve(undefined);
    return this.root;
  }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}
