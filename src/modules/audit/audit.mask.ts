/** What the audit trail shows instead of a secret: that it was set or changed, never its value. */
export const MASKED = '[masked]';

/** Keys inside JSON settings (profiles, device overrides, vendor raw keys) that hold secrets. */
const SECRET_KEY = /pass(word|wd)?|secret|token|credential|private.?key/i;

/** Copies a JSON value with every secret-looking key's value replaced by MASKED, at any depth. */
export function maskJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskJson);
  if (value === null || typeof value !== 'object') return value;
  const masked: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    masked[key] = SECRET_KEY.test(key) && inner !== null && typeof inner !== 'object' ? MASKED : maskJson(inner);
  }
  return masked;
}
