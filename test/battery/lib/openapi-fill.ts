/** Just enough of JSON Schema (as @fastify/swagger emits it) to build a valid request body. */
export interface Schema {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  minLength?: number;
  minimum?: number;
  format?: string;
  nullable?: boolean;
}

export interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: string; required?: boolean }[];
  body?: Schema;
  rawBody: boolean;
}

/** Every admin operation of the document, reads first and deletes last. */
export function operationsOf(document: { paths: Record<string, Record<string, any>> }): Operation[] {
  const order = ['get', 'post', 'put', 'patch', 'delete'];
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/v1/')) continue;
    for (const [method, operation] of Object.entries(methods)) {
      if (!order.includes(method)) continue;
      const content = operation.requestBody?.content ?? {};
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: operation.parameters ?? [],
        body: content['application/json']?.schema,
        rawBody: !content['application/json'] && (method === 'post' || method === 'put'),
      });
    }
  }
  return operations.sort((x, y) => order.indexOf(x.method.toLowerCase()) - order.indexOf(y.method.toLowerCase()));
}

/** Known values by property name, for fields whose patterns a generic generator would miss. */
export type ValueHints = Record<string, unknown>;

/** A small valid value of `schema`; `name` picks a hint (ids of the victim tenant, patterned strings). */
export function sample(schema: Schema | undefined, hints: ValueHints, name = ''): unknown {
  if (!schema) return undefined;
  if (name in hints) return hints[name];
  const options = schema.anyOf ?? schema.oneOf;
  if (options?.length) return sample(options[0], hints, name);
  if (schema.allOf?.length)
    return Object.assign({}, ...schema.allOf.map((part) => sample(part, hints, name) as object));
  if (schema.enum?.length) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const body: Record<string, unknown> = {};
      const properties = Object.entries(schema.properties ?? {});
      const wanted = new Set(schema.required ?? []);
      // A PATCH with nothing in it may be refused as empty before any tenant check: send one field.
      if (wanted.size === 0 && properties.length)
        wanted.add((properties.find(([key]) => key in hints) ?? properties[0]!)[0]);
      for (const [key, property] of properties) if (wanted.has(key)) body[key] = sample(property, hints, key);
      return body;
    }
    case 'array':
      return schema.minItems === 0 && !(name in hints) ? [] : [sample(schema.items, hints, singular(name))];
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return false;
    case 'string':
      if (schema.format === 'uuid') return hints.anyId;
      if (schema.format === 'date-time') return new Date().toISOString();
      if (schema.format === 'email') return 'sweep@example.com';
      return 'Sweep'.padEnd(schema.minLength ?? 1, 'x');
    default:
      return null;
  }
}

function singular(name: string): string {
  return name.endsWith('Ids') ? name.slice(0, -1) : name;
}

/** `{param}` names of a path template, in order. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
}
