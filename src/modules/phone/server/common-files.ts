import {
  commonFileNames,
  knownModelIds,
  renderCommonFiles,
  VENDOR_FAMILIES,
  type VendorFamily,
} from '../../render/device/index.js';
import { servedBytes, type ServedBytes } from './artifact-cache.js';

interface CommonSource {
  vendor: VendorFamily;
  model: string;
  /** The name as the renderer spells it (the request may differ in case). */
  name: string;
}

/**
 * Requested name (lower case) → the vendor and model whose common file it is, for every model
 * the renderer knows. Built once; a name outside it is answered 404 without rendering anything,
 * so arbitrary names cannot grow the cache.
 */
function buildNameIndex(): Map<string, CommonSource> {
  const index = new Map<string, CommonSource>();
  for (const vendor of VENDOR_FAMILIES) {
    for (const model of knownModelIds(vendor)) {
      for (const name of commonFileNames(vendor, model)) {
        // The first model wins: models sharing a name (Yealink hardware ids) get identical files.
        if (!index.has(name.toLowerCase())) index.set(name.toLowerCase(), { vendor, model, name });
      }
    }
  }
  return index;
}

let nameIndex: Map<string, CommonSource> | undefined;

export function commonFileSource(name: string): CommonSource | undefined {
  nameIndex ??= buildNameIndex();
  return nameIndex.get(name.toLowerCase());
}

/**
 * Common (MAC-less, secret-free) files, rendered by the phone server itself on first request and
 * kept: one per (name, tenant prefix), since the provisioning URL inside names the prefix.
 */
export class CommonFiles {
  private readonly cache = new Map<string, Promise<ServedBytes | undefined>>();

  constructor(private readonly publicPhoneUrl: string) {}

  get(name: string, tenantSlug?: string): Promise<ServedBytes | undefined> {
    const source = commonFileSource(name);
    if (!source) return Promise.resolve(undefined);
    const key = `${tenantSlug ?? ''}/${source.name}`;
    let cached = this.cache.get(key);
    if (!cached) {
      cached = this.render(source, tenantSlug);
      cached.catch(() => this.cache.delete(key));
      this.cache.set(key, cached);
    }
    return cached;
  }

  /** Tenants come and go: forget a prefix's files (and everything, when called without one). */
  forget(tenantSlug?: string): void {
    if (tenantSlug === undefined) return this.cache.clear();
    for (const key of this.cache.keys()) if (key.startsWith(`${tenantSlug}/`)) this.cache.delete(key);
  }

  private async render(source: CommonSource, tenantSlug: string | undefined): Promise<ServedBytes | undefined> {
    const provisioningUrl = tenantSlug === undefined ? this.publicPhoneUrl : `${this.publicPhoneUrl}/t/${tenantSlug}`;
    const file = renderCommonFiles(source.vendor, source.model, { provisioningUrl }).find(
      (candidate) => candidate.name === source.name,
    );
    if (!file || file.carriesSecrets) return undefined;
    return servedBytes(file.body, file.sha256, file.contentType);
  }
}
