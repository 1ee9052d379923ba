import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Liquid, type Template } from 'liquidjs';
import { escapeXml, hasUnsafeCharacters } from './values.js';
import { RenderError } from './render.types.js';

/**
 * One sandboxed LiquidJS setup for every device template. Templates are data, not code (tenants
 * will supply their own later), so the engine:
 *  - reads nothing from disk at render time: every `*.liquid` under templates/ is loaded once
 *    into memory and served through LiquidJS's in-memory `templates` map (no path can escape);
 *  - refuses unknown variables and filters (`strictVariables`, `strictFilters`) and only reads
 *    own properties of the view model (`ownPropertyOnly`), so nothing reaches prototypes;
 *  - escapes every output: XML-escaped for XML formats, and for Yealink's line format a guard
 *    that refuses line breaks (a value must never start a new `key = value` line);
 *  - refuses to print anything but strings, numbers and booleans, so `undefined`, `null` and
 *    `[object Object]` can never reach a phone;
 *  - caps parse/render effort so a hostile template cannot hang a worker.
 * Parsed templates are cached per engine.
 *
 * Long flat lists (hundreds of keys per profile) go through the `render_each` filter instead of
 * a `{% for %}` loop: `{{ list | render_each: "<{key}>{value}</{key}>", separator }}` fills the
 * pattern once per item, escaping each placeholder value exactly like `{{ }}` output. The pattern
 * is template text, so the template still decides the layout; it is ~50x faster than a loop,
 * which keeps a full re-render of 100,000 devices within the throughput target.
 */

export type OutputFlavour = 'xml' | 'text';

/** Output of `render_each`: already escaped, printed as is, and not usable as input to other filters. */
class EscapedBlock {
  constructor(readonly text: string) {}
  toString(): string {
    throw new RenderError('the output of render_each cannot be passed to another filter');
  }
}

function printable(value: unknown, templateHint: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  throw new RenderError(`template ${templateHint} printed a ${value === null ? 'null' : typeof value} value`);
}

function xmlOutput(value: unknown): string {
  if (value instanceof EscapedBlock) return value.text;
  const text = printable(value, 'output');
  if (hasUnsafeCharacters(text)) throw new RenderError('template printed a control character or line break into XML');
  return escapeXml(text);
}

function lineOutput(value: unknown): string {
  if (value instanceof EscapedBlock) return value.text;
  const text = printable(value, 'output');
  if (hasUnsafeCharacters(text))
    throw new RenderError('template printed a line break or control character into a key line');
  return text;
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/;

function renderEachFilter(escape: (value: unknown) => string) {
  return (items: unknown, pattern: unknown, separator: unknown = '\n'): EscapedBlock => {
    if (!Array.isArray(items)) throw new RenderError('render_each needs a list');
    if (typeof pattern !== 'string' || typeof separator !== 'string')
      throw new RenderError('render_each needs a text pattern');
    // split() with a capture group alternates literal text and placeholder names.
    const parts = pattern.split(new RegExp(PLACEHOLDER.source, 'g'));
    const rendered = items.map((item: unknown) => {
      if (typeof item !== 'object' || item === null) throw new RenderError('render_each items must be objects');
      let text = '';
      for (let i = 0; i < parts.length; i += 1) {
        const part = parts[i]!;
        if (i % 2 === 0) text += part;
        else if (!Object.prototype.hasOwnProperty.call(item, part)) {
          throw new RenderError(`render_each placeholder {${part}} is not a field of the item`);
        } else {
          const value = (item as Record<string, unknown>)[part];
          if (value instanceof EscapedBlock) throw new RenderError('render_each items cannot hold rendered blocks');
          text += escape(value);
        }
      }
      return text;
    });
    return new EscapedBlock(rendered.join(separator));
  };
}

/** The repository's templates/ folder, found from this module's location (works from src and dist). */
export function defaultTemplatesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i += 1) {
    if (existsSync(join(dir, 'templates')) && existsSync(join(dir, 'package.json'))) return join(dir, 'templates');
    dir = dirname(dir);
  }
  throw new RenderError('templates/ folder not found');
}

function loadTemplateSources(root: string): Record<string, string> {
  const sources: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.liquid')) {
        sources[relative(root, full).split(sep).join('/')] = readFileSync(full, 'utf8');
      }
    }
  };
  walk(root);
  return sources;
}

export class TemplateEngine {
  private readonly liquid: Liquid;
  private readonly parsed = new Map<string, Template[]>();

  constructor(
    private readonly sources: Readonly<Record<string, string>>,
    readonly flavour: OutputFlavour,
  ) {
    this.liquid = new Liquid({
      templates: { ...sources },
      relativeReference: false,
      dynamicPartials: false,
      strictFilters: true,
      strictVariables: true,
      ownPropertyOnly: true,
      lenientIf: false,
      jsTruthy: false,
      outputEscape: flavour === 'xml' ? xmlOutput : lineOutput,
      globals: {},
      cache: false,
      parseLimit: 1_000_000,
      renderLimit: 2_000,
      memoryLimit: 50_000_000,
    });
    // `| raw` would bypass output escaping; a plain filter keeps the name but not the bypass.
    this.liquid.registerFilter('raw', (value: unknown) => value);
    this.liquid.registerFilter('render_each', renderEachFilter(flavour === 'xml' ? xmlOutput : lineOutput));
  }

  has(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.sources, name);
  }

  private template(name: string): Template[] {
    let templates = this.parsed.get(name);
    if (!templates) {
      if (!this.has(name)) throw new RenderError(`template "${name}" does not exist`);
      try {
        templates = this.liquid.parse(this.sources[name]!, name);
      } catch (error) {
        throw new RenderError(`template "${name}" does not parse: ${(error as Error).message}`);
      }
      this.parsed.set(name, templates);
    }
    return templates;
  }

  render(name: string, view: object): string {
    const templates = this.template(name);
    try {
      return this.liquid.renderSync(templates, view) as string;
    } catch (error) {
      const cause = (error as { originalError?: unknown }).originalError ?? error;
      if (cause instanceof RenderError) throw new RenderError(`template "${name}": ${cause.message}`);
      throw new RenderError(`template "${name}" failed: ${(error as Error).message}`);
    }
  }
}

const engines = new Map<string, TemplateEngine>();

/** Engines over the repository templates, created once per flavour and reused. */
export function templateEngine(flavour: OutputFlavour, templatesDir = defaultTemplatesDir()): TemplateEngine {
  const key = `${flavour}\u0000${templatesDir}`;
  let engine = engines.get(key);
  if (!engine) {
    engine = new TemplateEngine(loadTemplateSources(templatesDir), flavour);
    engines.set(key, engine);
  }
  return engine;
}
