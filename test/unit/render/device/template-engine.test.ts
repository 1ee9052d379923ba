import { describe, expect, it } from 'vitest';
import { RenderError } from '#src/modules/render/device/index.js';
import { TemplateEngine } from '#src/modules/render/device/template-engine.js';

const engine = (flavour: 'xml' | 'text', templates: Record<string, string>) => new TemplateEngine(templates, flavour);

describe('sandboxed template engine', () => {
  it('escapes every XML output, also through | raw', () => {
    const xml = engine('xml', { 't.liquid': '<a v="{{ v }}">{{ v }}|{{ v | raw }}</a>' });
    expect(xml.render('t.liquid', { v: `<&"'>` })).toBe(
      '<a v="&lt;&amp;&quot;&apos;&gt;">&lt;&amp;&quot;&apos;&gt;|&lt;&amp;&quot;&apos;&gt;</a>',
    );
  });

  it('refuses unknown variables, unknown filters and non-printable values', () => {
    const xml = engine('xml', {
      missing: '{{ nope }}',
      filter: '{{ v | no_such_filter }}',
      nul: '{{ v }}',
      obj: '{{ v }}',
    });
    expect(() => xml.render('missing', {})).toThrow(RenderError);
    expect(() => xml.render('filter', { v: 'x' })).toThrow(RenderError);
    expect(() => xml.render('nul', { v: null })).toThrow(/null/);
    expect(() => xml.render('obj', { v: { a: 1 } })).toThrow(RenderError);
  });

  it('refuses control characters in XML and line breaks in key lines', () => {
    expect(() => engine('xml', { t: '{{ v }}' }).render('t', { v: 'a\u0001b' })).toThrow(RenderError);
    expect(() => engine('text', { t: 'k = {{ v }}' }).render('t', { v: 'a\nother = 1' })).toThrow(RenderError);
    expect(engine('text', { t: 'k = {{ v }}' }).render('t', { v: 'a & <b>' })).toBe('k = a & <b>');
  });

  it('reads only own properties of the view', () => {
    const view = Object.create({ inherited: 'from prototype' }) as Record<string, unknown>;
    expect(() => engine('xml', { t: '{{ inherited }}' }).render('t', view)).toThrow(RenderError);
    expect(() => engine('xml', { t: '{{ v.constructor }}' }).render('t', { v: 'x' })).toThrow(RenderError);
  });

  it('includes only templates it was given (by literal name), never files from disk', () => {
    const xml = engine('xml', {
      main: '{% include part %}',
      part: 'ok',
      evil: '{% include /etc/passwd %}',
      viaData: '{% include {{ name }} %}',
    });
    expect(xml.render('main', {})).toBe('ok');
    expect(() => xml.render('evil', {})).toThrow(RenderError);
    // Even a name taken from view data only reaches the in-memory templates.
    expect(() => xml.render('viaData', { name: '../../../../etc/passwd' })).toThrow(RenderError);
    expect(() => xml.render('not-there', {})).toThrow(/does not exist/);
  });

  it('reports a template that does not parse as a RenderError', () => {
    expect(() => engine('xml', { bad: '{% for x in %}' }).render('bad', {})).toThrow(RenderError);
  });

  it('render_each escapes every placeholder value and keeps the pattern as template text', () => {
    const xml = engine('xml', { t: '{{ items | render_each: \'<{key} a="{value}">{value}</{key}>\', "|" }}' });
    expect(
      xml.render('t', {
        items: [
          { key: 'K', value: `"<&>'` },
          { key: 'L', value: 'x' },
        ],
      }),
    ).toBe('<K a="&quot;&lt;&amp;&gt;&apos;">&quot;&lt;&amp;&gt;&apos;</K>|<L a="x">x</L>');
    const text = engine('text', { t: '{{ items | render_each: "{key} = {value}" }}' });
    expect(
      text.render('t', {
        items: [
          { key: 'a', value: '1' },
          { key: 'b', value: '' },
        ],
      }),
    ).toBe('a = 1\nb = ');
    expect(() => text.render('t', { items: [{ key: 'a', value: '1\nc = 2' }] })).toThrow(RenderError);
  });

  it('render_each refuses missing fields, non-lists and further filtering of its output', () => {
    const xml = engine('xml', {
      missing: '{{ items | render_each: "{nope}" }}',
      notList: '{{ items | render_each: "{key}" }}',
      refilter: '{{ items | render_each: "{key}" | upcase }}',
      inherited: '{{ items | render_each: "{toString}" }}',
    });
    expect(() => xml.render('missing', { items: [{ key: 'a' }] })).toThrow(/not a field/);
    expect(() => xml.render('notList', { items: 'a' })).toThrow(/needs a list/);
    expect(() => xml.render('refilter', { items: [{ key: 'a' }] })).toThrow(RenderError);
    expect(() => xml.render('inherited', { items: [{ key: 'a' }] })).toThrow(/not a field/);
  });
});
