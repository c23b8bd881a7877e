import type { AnyNode, Document, Element } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { HtmlTooDeepError, parseHtml } from './parse';

/** The tree as lines of depth, kind, name, attributes and text: what the cleaner reads. */
function outline(root: Document): string[] {
  const lines: string[] = [];
  const walk = (node: AnyNode, depth: number) => {
    const pad = '  '.repeat(depth);
    if (node.type === 'text') lines.push(`${pad}"${node.data}"`);
    else if (node.type === 'comment') lines.push(`${pad}<!--${node.data}-->`);
    else if (node.type === 'directive') lines.push(`${pad}<${node.name}>`);
    else if ('attribs' in node) {
      const element = node as Element;
      lines.push(`${pad}${element.type}:${element.name} ${JSON.stringify(element.attribs)}`);
      for (const child of element.children) walk(child, depth + 1);
    }
  };
  for (const child of root.children) walk(child, 0);
  return lines;
}

const html2 = (html: string) => outline(parseDocument(html, { decodeEntities: true }));
const ours = (html: string) => outline(parseHtml(html, 1000));

describe('parseHtml builds the tree htmlparser2 builds', () => {
  const cases: Record<string, string> = {
    'a plain page':
      '<!DOCTYPE html><html lang="en"><head><title>T</title></head><body><p>Hi</p></body></html>',
    'upper-case names and attributes': '<DIV CLASS="A" Id=b><SPAN>x</SPAN></DIV>',
    'attribute forms': `<a href=/x?a=1&amp;b=2 title='it''s' data-x = "y" hidden checked/>`,
    'duplicate attributes keep the first': '<p class="one" class="two">x</p>',
    'a > inside a quoted value': '<a title="a > b" href="/">link</a>',
    'implied end tags': '<ul><li>one<li>two</ul><p>a<p>b<div>c</div><table><tr><td>1<td>2<tr><td>3</table>',
    'headings close paragraphs': '<p>lead<h2>Head</h2>after',
    'definition lists': '<dl><dt>term<dd>definition<dt>next</dl>',
    'void elements': '<p>a<br>b<img src=x.png>c<hr>d</p>',
    'stray end tags are ignored': '<div>a</span>b</div></section>c',
    'a stray </p> makes an empty paragraph': '<div>x</p>y</div>',
    '</br> reads as <br>': '<p>a</br>b</p>',
    'scripts and styles hold raw text':
      '<script>if (a < b && c > d) document.write("<div>")</script><style>p > a { x: 1 }</style><p>after</p>',
    'an end tag spelled in upper case ends a script': '<script>var a = 1;</SCRIPT ><p>x</p>',
    'a title decodes entities, a script does not': '<title>A &amp; B</title><script>a &amp;&amp; b</script>',
    'entities in text': '<p>Fish &amp; chips &mdash; &#8220;quoted&#x201D; &copy 2020 &nbsp;x</p>',
    'comments and declarations': '<!-- a comment --><p>x<!----></p><!– not a comment –><?xml version="1.0"?>',
    'conditional comments': '<!--[if lt IE 9]><script src="x.js"></script><![endif]--><p>x</p>',
    'self-closing only in SVG': '<div/>text<svg><path d="M0 0"/><g><rect/></g></svg><span/>more',
    'a < that starts no tag': '<p>1 < 2 and 3 <= 4 and a <> b</p>',
    '</> stays text': '<p>a</>b</p>',
    'text merges across stray end tags': '<p>one </b> two</p>',
    'space after </': '<p>a</ not a tag>b</ p>c</p>',
    'a bogus end-tag comment': '<p>a</#x>b</p>',
    'noscript and template are markup': '<noscript><p>no script</p></noscript><template><p>t</p></template>',
    'head and body implied closes': '<head><link rel=x><script>1</script><body><p>x',
    'textarea is raw text': '<textarea><b>not bold</b> &amp;</textarea>',
    'option and optgroup': '<select><option>a<option>b<optgroup><option>c</select>',
    'nested tables':
      '<table><tbody><tr><td><table><tr><td>in</td></tr></table></td></tr></tbody><tfoot></tfoot></table>',
  };
  for (const [name, html] of Object.entries(cases)) {
    it(name, () => {
      expect(ours(html)).toEqual(html2(html));
    });
  }
});

describe('parseHtml on broken input', () => {
  it('drops a tag the input ends inside', () => {
    expect(ours('<p>kept</p><div class="cut')).toEqual(['tag:p {}', '  "kept"']);
  });

  it('ends an unclosed script at the end of the input', () => {
    expect(ours('<p>a</p><script>var x = "<p>"')).toEqual([
      'tag:p {}',
      '  "a"',
      'script:script {}',
      '  "var x = "<p>""',
    ]);
  });

  it('links siblings and parents as domhandler does', () => {
    const root = parseHtml('<div><p>a</p><p>b</p>c</div>', 10);
    const div = root.children[0] as Element;
    const [first, second, text] = div.children;
    expect(first?.next).toBe(second);
    expect(second?.prev).toBe(first);
    expect(text?.prev).toBe(second);
    expect(text?.parent).toBe(div);
    expect(div.parent).toBe(root);
  });

  it('refuses nesting deeper than its limit, as it goes', () => {
    const deep = '<div>'.repeat(40_000);
    expect(() => parseHtml(deep, 1000)).toThrow(HtmlTooDeepError);
    expect(() => parseHtml('<div>'.repeat(1000), 1000)).not.toThrow();
    expect(() => parseHtml('<div>'.repeat(1001), 1000)).toThrow('HTML nests deeper than 1000 elements');
  });

  it('does not count closed or void elements as depth', () => {
    const flat = '<div><span>x</span><br><img></div>'.repeat(5_000);
    expect(() => parseHtml(flat, 3)).not.toThrow();
  });

  it('dismisses many stray end tags under a deep stack without searching it each time', () => {
    const html = `${'<div>'.repeat(900)}${'</span>'.repeat(200_000)}<p>end</p>`;
    const root = parseHtml(html, 1000);
    expect(outline(root).at(-1)?.trim()).toBe('"end"');
  });
});

describe('parseHtml with more tag names than its cache holds', () => {
  it('still matches each end tag to its own element', () => {
    // 5,000 distinct custom elements, nested two deep, overflow the shared cache of tag rules.
    const names = Array.from({ length: 5000 }, (_, i) => `x-tag-${i}`);
    const html = names.map((name) => `<${name}><b>${name}</b></${name}>`).join('');
    const root = parseHtml(html, 10);
    expect(root.children).toHaveLength(5000);
    const last = root.children[4999] as Element;
    expect(last.name).toBe('x-tag-4999');
    expect((last.children[0] as Element).name).toBe('b');
    // A second parse starts over with a fresh cache and gets the same tree.
    expect(outline(parseHtml(html, 10))).toEqual(outline(root));
  });
});

describe('parseHtml attributes', () => {
  it('are a plain record cheerio reads', async () => {
    const { load } = await import('cheerio');
    const $ = load(parseHtml('<a href="/x" class="c" data-id="7">x</a>', 10));
    expect($('a').attr('href')).toBe('/x');
    expect($('a.c').attr()).toEqual({ href: '/x', class: 'c', 'data-id': '7' });
    expect($('a').attr('toString')).toBeUndefined();
  });
});

describe('parseHtml ends <head> as browsers do', () => {
  it('at the first element that does not belong in it, when <body> is never written', () => {
    const root = parseHtml(
      '<html><head><meta charset=utf-8><title>T</title><div id=a><p>Text</p></div></html>',
      10,
    );
    expect(outline(root)).toEqual([
      'tag:html {}',
      '  tag:head {}',
      '    tag:meta {"charset":"utf-8"}',
      '    tag:title {}',
      '      "T"',
      '  tag:div {"id":"a"}',
      '    tag:p {}',
      '      "Text"',
    ]);
  });

  it('at text, but not at whitespace between head elements', () => {
    const root = parseHtml('<head>\n  <link rel=x>\n  Hello <b>world</b>', 10);
    expect(outline(root)).toEqual([
      'tag:head {}',
      '  "\n  "',
      '  tag:link {"rel":"x"}',
      '"\n  Hello "',
      'tag:b {}',
      '  "world"',
    ]);
  });
});
