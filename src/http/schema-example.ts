/**
 * A small valid instance of a JSON schema, for operations whose body or response schema carries no
 * hand-written `examples`: /docs then shows a payload for every operation, and the OpenAPI test
 * checks each one (derived or written) against its own schema, so an example never lies.
 * Returns undefined when no instance can be made (e.g. a pattern none of the candidates match);
 * such a schema needs a hand-written example, and the test says which.
 */
// JSON Schema as TypeBox emits it: keywords of any shape, read without a full JSON Schema type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Schema = Record<string, any>;

const FORMATS: Record<string, string> = {
  uuid: '3f1c2a7e-8a1b-4c2d-9e3f-0a1b2c3d4e5f',
  'date-time': '2026-12-07T10:00:00.000Z',
  date: '2026-12-07',
  email: 'alice@example.com',
  uri: 'https://pbx.example.com/',
  hostname: 'pbx.example.com',
  ipv4: '192.0.2.10',
};

// Tried in order against a string's pattern and length limits.
const CANDIDATES = [
  'example',
  'Example',
  'acme',
  'a',
  '1001',
  '+12025550123',
  'T46S',
  'pbx.example.com',
  '001565aabbcc',
  'A',
];

function sampleString(schema: Schema): string | undefined {
  if (schema.format && FORMATS[schema.format]) return FORMATS[schema.format];
  const fits = (value: string) =>
    value.length >= (schema.minLength ?? 0) &&
    value.length <= (schema.maxLength ?? Infinity) &&
    (!schema.pattern || new RegExp(schema.pattern, 'u').test(value));
  return CANDIDATES.find(fits);
}

export function sampleOf(schema: Schema, depth = 0): unknown {
  if (depth > 12) return undefined;
  if (schema.examples?.length) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const options = schema.anyOf ?? schema.oneOf;
  if (options) {
    // Prefer a non-null option: an example that is all nulls says nothing.
    const ordered = [...options].sort((a: Schema, b: Schema) => Number(a.type === 'null') - Number(b.type === 'null'));
    for (const option of ordered) {
      const value = sampleOf(option, depth + 1);
      if (value !== undefined) return value;
    }
    return undefined;
  }
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((part: Schema) => sampleOf(part, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type.find((item: string) => item !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const required = new Set<string>(schema.required ?? []);
      // The required properties, then optional ones until minProperties is met (an update body needs one).
      for (const [key, property] of Object.entries<Schema>(schema.properties ?? {})) {
        if (!required.has(key) && Object.keys(out).length >= (schema.minProperties ?? 0)) continue;
        const value = sampleOf(property, depth + 1);
        if (value === undefined) {
          if (required.has(key)) return undefined;
          continue;
        }
        out[key] = value;
      }
      return out;
    }
    case 'array': {
      const count = Math.max(schema.minItems ?? 0, schema.items ? 1 : 0);
      const item = schema.items ? sampleOf(schema.items, depth + 1) : undefined;
      if (count > 0 && item === undefined) return undefined;
      return Array.from({ length: count }, () => item);
    }
    case 'string':
      return sampleString(schema);
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return undefined;
  }
}

/** The schema with an `examples` array (its own, else derived), copied so shared schemas stay untouched. */
export function withExample(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object') return schema;
  const value = schema as Schema;
  if (value.examples?.length) return schema;
  const sample = sampleOf(value);
  return sample === undefined ? schema : { ...value, examples: [sample] };
}
