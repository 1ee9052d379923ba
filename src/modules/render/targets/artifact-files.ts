import type { ArtifactFile } from '../../pipeline/renderer.registry.js';
import type { RenderedFile } from '../device/index.js';
import type { PhonebookFile } from '../phonebook/index.js';

/*
 * Serve paths of the artifact store contract (helpers/file-names.md): device files under the
 * canonical MAC with the name lowercased (the phone server lowercases the requested name for its
 * lookup), phonebook files under their token with the renderer's own file name.
 */

export function deviceServePath(mac: string, name: string): string {
  return `${mac}/${name.toLowerCase()}`;
}

export function phonebookServePath(token: string, name: string): string {
  return `pb/${token}/${name}`;
}

export function deviceArtifacts(mac: string, files: readonly RenderedFile[]): ArtifactFile[] {
  return files.map((file) => ({
    servePath: deviceServePath(mac, file.name),
    contentType: file.contentType,
    body: file.body,
    sha256: file.sha256,
    carriesSecrets: file.carriesSecrets,
  }));
}

export function phonebookArtifacts(token: string, files: readonly PhonebookFile[]): ArtifactFile[] {
  return files.map((file) => ({
    servePath: phonebookServePath(token, file.name),
    contentType: file.contentType,
    body: file.body,
    sha256: file.sha256,
    carriesSecrets: false,
  }));
}
