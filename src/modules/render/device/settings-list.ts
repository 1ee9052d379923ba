import { RenderError, type VendorFamily } from './render.types.js';
import { hasUnsafeCharacters } from './values.js';

export interface Setting {
  key: string;
  value: string;
}

/**
 * An ordered list of vendor keys for flat formats. Keys are unique (a duplicate `add` replaces the
 * value in place), so XML formats never get a duplicate attribute or element and Yealink never
 * gets a key twice. Profile raw keys are applied last: each raw key removes the generated entry
 * of the same name and is appended in sorted key order, so raw keys always win and their order
 * does not depend on how the profile object was built.
 */
export class SettingsList {
  private readonly entries = new Map<string, string>();

  add(key: string, value: string | number): this {
    this.entries.set(key, String(value));
    return this;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  applyRawKeys(rawKeys: Record<string, string>, keyPattern: RegExp, vendor: VendorFamily): this {
    for (const key of Object.keys(rawKeys).sort()) {
      const value = rawKeys[key];
      if (!keyPattern.test(key))
        throw new RenderError(`raw key "${safeKeyForMessage(key)}" is not a valid key name`, vendor);
      if (typeof value !== 'string' || hasUnsafeCharacters(value)) {
        throw new RenderError(`raw key "${key}" has a value with a line break or control character`, vendor);
      }
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return this;
  }

  toArray(): Setting[] {
    return [...this.entries].map(([key, value]) => ({ key, value }));
  }
}

function safeKeyForMessage(key: string): string {
  return key.replace(/[^\x20-\x7e]/g, '?').slice(0, 80);
}
