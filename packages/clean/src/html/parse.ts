import { Comment, Document, Element, type ParentNode, ProcessingInstruction, Text } from 'domhandler';
import { decodeHTML, decodeHTMLAttribute } from 'entities';

/**
 * An HTML parser that builds the same domhandler tree cheerio and htmlparser2 build, with the
 * same tree-construction rules (htmlparser2's implied end tags, void elements, raw-text elements,
 * self-closing tags only in SVG and MathML), about twice as fast: it jumps from `<` to `<` with
 * `indexOf` instead of stepping a state machine one character at a time, reads each tag name
 * once into a cached record of its rules, and allocates no string for a name it has seen. It
 * also bounds nesting as it goes, so hostile markup costs no more than the limit
 * (htmlparser2's stack handling is quadratic on it). One rule differs, on purpose: `<head>`
 * ends where browsers end it, not at `</head>` alone.
 */

export class HtmlTooDeepError extends Error {
  constructor(readonly limit: number) {
    super(`HTML nests deeper than ${limit} elements`);
    this.name = 'HtmlTooDeepError';
  }
}

const P = new Set(['p']);
const FORM = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
const TABLE_SECTION = new Set(['thead', 'tbody']);
const DD_DT = new Set(['dd', 'dt']);
const RT_RP = new Set(['rt', 'rp']);

/** Opening one of these closes the open elements named in its set while they are on top. */
const OPEN_IMPLIES_CLOSE = new Map<string, Set<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['li', new Set(['li'])],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', DD_DT],
  ['dt', DD_DT],
  ['rt', RT_RP],
  ['rp', RT_RP],
  ['tbody', TABLE_SECTION],
  ['tfoot', TABLE_SECTION],
  ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map(
    (name) => [name, FORM] as [string, Set<string>],
  ),
  ...[
    'p',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'address',
    'article',
    'aside',
    'blockquote',
    'details',
    'div',
    'dl',
    'fieldset',
    'figcaption',
    'figure',
    'footer',
    'form',
    'header',
    'hr',
    'main',
    'nav',
    'ol',
    'pre',
    'section',
    'table',
    'ul',
  ].map((name) => [name, P] as [string, Set<string>]),
]);

const VOID = new Set([
  'area',
  'base',
  'basefont',
  'br',
  'col',
  'command',
  'embed',
  'frame',
  'hr',
  'img',
  'input',
  'isindex',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/** Inside these a trailing `/` closes the element, as in XML. */
const FOREIGN = new Set(['math', 'svg']);
/** ...and inside these HTML rules apply again. */
const INTEGRATION = new Set([
  'mi',
  'mo',
  'mn',
  'ms',
  'mtext',
  'annotation-xml',
  'foreignobject',
  'desc',
  'title',
]);

/** Elements whose content is text up to their end tag; the value says whether entities are decoded. */
const RAW_TEXT = new Map<string, boolean>([
  ['script', false],
  ['style', false],
  ['xmp', false],
  ['textarea', false],
  ['title', true],
]);

/** Elements that belong in `<head>`; any other start tag (or text) there ends it, as in browsers. */
const HEAD_CONTENT = new Set([
  'base',
  'basefont',
  'bgsound',
  'link',
  'meta',
  'noscript',
  'script',
  'style',
  'template',
  'title',
]);

/** What the tree builder needs to know about a tag name: looked up once per tag. */
interface TagRules {
  name: string;
  /** Open elements this one closes while they are on top of the stack. */
  closes: ReadonlySet<string> | null;
  isVoid: boolean;
  /** SVG or MathML; an HTML integration point inside them; neither. */
  context: 'foreign' | 'integration' | null;
  /** Content is text up to the end tag, as it is or with entities decoded; null: markup. */
  rawText: 'raw' | 'decoded' | null;
  type: Element['type'];
  inHead: boolean;
  /** How many elements of this name are open in the parse numbered `parse`. */
  open: number;
  parse: number;
}

function rulesFor(name: string): TagRules {
  const raw = RAW_TEXT.get(name);
  return {
    name,
    closes: OPEN_IMPLIES_CLOSE.get(name) ?? null,
    isVoid: VOID.has(name),
    context: FOREIGN.has(name) ? 'foreign' : INTEGRATION.has(name) ? 'integration' : null,
    rawText: raw === undefined ? null : raw ? 'decoded' : 'raw',
    // domhandler's element types (the same strings as domelementtype's).
    type: (name === 'script' || name === 'style' ? name : 'tag') as Element['type'],
    inHead: HEAD_CONTENT.has(name),
    open: 0,
    parse: 0,
  };
}

function isAsciiLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

function lowerCode(code: number): number {
  return code >= 65 && code <= 90 ? code | 0x20 : code;
}

/** Whether `html[start, start + name.length)` spells `name` in any case. */
function spells(html: string, start: number, name: string): boolean {
  for (let k = 0; k < name.length; k++) {
    if (lowerCode(html.charCodeAt(start + k)) !== name.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * Attribute names and tag rules by a hash of the lower-cased name: a page spells the same few
 * dozen names thousands of times, and reading one from here allocates nothing. Each is bounded
 * and emptied when full: attribute names at once, tag rules between parses only, because a
 * parse counts its open elements on them (names that do not fit wait in that parse's overflow).
 */
const ATTRIBUTE_NAMES = new Map<number, string>();
const TAGS = new Map<number, TagRules>();
const MAX_CACHED_NAMES = 4096;

/** The lower-cased attribute name `html[start, end)`, whose lower-cased characters hash to `hash`. */
function attributeName(html: string, start: number, end: number, hash: number): string {
  const known = ATTRIBUTE_NAMES.get(hash);
  if (known !== undefined && known.length === end - start && spells(html, start, known)) return known;
  const name = html.slice(start, end).toLowerCase();
  if (ATTRIBUTE_NAMES.size >= MAX_CACHED_NAMES) ATTRIBUTE_NAMES.clear();
  ATTRIBUTE_NAMES.set(hash, name);
  return name;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13 || code === 12;
}

/** Where the end tag `</name` (followed by space or `>`) of a raw-text element starts, or -1. */
function findEndTag(html: string, name: string, from: number): number {
  for (let at = html.indexOf('</', from); at !== -1; at = html.indexOf('</', at + 2)) {
    let i = 0;
    for (; i < name.length; i++) {
      if ((html.charCodeAt(at + 2 + i) | 0x20) !== name.charCodeAt(i)) break;
    }
    if (i < name.length) continue;
    const after = html.charCodeAt(at + 2 + name.length);
    if (after === 62 || isSpace(after)) return at;
  }
  return -1;
}

/** Numbers each parse, so that tag rules can tell this parse's open-element counts from stale ones. */
let parses = 0;

class TreeBuilder {
  readonly document = new Document([]);
  private readonly stack: Element[] = [];
  private readonly stackRules: TagRules[] = [];
  /** Whether each SVG/MathML or integration point on the stack is foreign (innermost last). */
  private readonly foreign: boolean[] = [];
  private parent: ParentNode = this.document;
  /** The text node last added, while nothing else has been: adjacent text merges into it. */
  private lastText: Text | null = null;
  /** Tag rules that did not fit the shared cache during this parse. */
  private overflow: Map<string, TagRules> | null = null;
  readonly parse = ++parses;

  constructor(private readonly maxDepth: number) {
    if (TAGS.size >= MAX_CACHED_NAMES) TAGS.clear();
  }

  /** The rules of the tag name `html[start, end)`, whose lower-cased characters hash to `hash`. */
  rules(html: string, start: number, end: number, hash: number): TagRules {
    const known = TAGS.get(hash);
    if (known !== undefined && known.name.length === end - start && spells(html, start, known.name))
      return known;
    const name = html.slice(start, end).toLowerCase();
    let rules = this.overflow?.get(name);
    if (rules) return rules;
    rules = rulesFor(name);
    if (known === undefined && TAGS.size < MAX_CACHED_NAMES) TAGS.set(hash, rules);
    else {
      this.overflow ??= new Map();
      this.overflow.set(name, rules);
    }
    return rules;
  }

  private append(node: Element | Text | Comment | ProcessingInstruction): void {
    const siblings = this.parent.children;
    const previous = siblings[siblings.length - 1];
    if (previous) {
      previous.next = node;
      node.prev = previous;
    }
    node.parent = this.parent;
    siblings.push(node);
  }

  text(data: string): void {
    if (data === '') return;
    if (this.headOpen() && /\S/.test(data)) this.pop();
    if (this.lastText) {
      this.lastText.data += data;
      return;
    }
    const node = new Text(data);
    this.append(node);
    this.lastText = node;
  }

  comment(data: string): void {
    this.lastText = null;
    this.append(new Comment(data));
  }

  /** A doctype, `<!...>` declaration or `<?...>` instruction, as htmlparser2 keeps them. */
  instruction(data: string): void {
    this.lastText = null;
    const name = /^[^\s/]*/.exec(data)?.[0] ?? data;
    this.append(new ProcessingInstruction(name.toLowerCase(), data));
  }

  get inForeignContent(): boolean {
    return this.foreign[this.foreign.length - 1] === true;
  }

  /** Opens an element, closing what it implies first. */
  /**
   * Whether `<head>` is the current element. A page that never writes `<body>` would otherwise
   * have its whole content parsed into `<head>` (htmlparser2 does): browsers end the head at
   * the first thing that does not belong there.
   */
  private headOpen(): boolean {
    return this.stackRules[this.stackRules.length - 1]?.name === 'head';
  }

  open(rules: TagRules, attribs: Record<string, string>): Element {
    this.lastText = null;
    if (!rules.inHead && this.headOpen()) this.pop();
    const closes = rules.closes;
    if (closes !== null) {
      while (
        this.stack.length > 0 &&
        closes.has((this.stackRules[this.stackRules.length - 1] as TagRules).name)
      ) {
        this.pop();
      }
    }
    const element = new Element(rules.name, attribs, [], rules.type);
    this.append(element);
    if (!rules.isVoid) {
      this.stack.push(element);
      this.stackRules.push(rules);
      if (this.stack.length > this.maxDepth) throw new HtmlTooDeepError(this.maxDepth);
      if (rules.parse !== this.parse) {
        rules.parse = this.parse;
        rules.open = 0;
      }
      rules.open++;
      if (rules.context !== null) this.foreign.push(rules.context === 'foreign');
      this.parent = element;
    }
    return element;
  }

  private pop(): void {
    this.stack.pop();
    (this.stackRules.pop() as TagRules).open--;
    this.parent = this.stack[this.stack.length - 1] ?? this.document;
    this.lastText = null;
  }

  /** Closes the element just opened when it was written self-closing in foreign content. */
  closeIfCurrent(element: Element, rules: TagRules): void {
    if (this.stack[this.stack.length - 1] !== element) return;
    if (rules.context !== null) this.foreign.pop();
    this.pop();
  }

  close(rules: TagRules): void {
    if (rules.context !== null) this.foreign.pop();
    if (rules.isVoid) {
      // `</br>` reads as `<br>`; other void end tags mean nothing.
      if (rules.name === 'br') this.open(rules, {});
      return;
    }
    if (rules.parse === this.parse && rules.open > 0) {
      // Pops through the nearest open element of this name.
      for (;;) {
        const top = this.stackRules[this.stackRules.length - 1] as TagRules;
        this.pop();
        if (top === rules) break;
      }
    } else if (rules.name === 'p') {
      // `</p>` with no open paragraph makes an empty one.
      this.open(rules, {});
      this.pop();
    }
  }
}

interface StartTag {
  attribs: Record<string, string>;
  /** Index just past the tag's `>`. */
  end: number;
  /** Written `<name ... />`. */
  selfClosing: boolean;
}

/** Where the last `readTagName` stopped. */
let tagNameEnd = 0;

/** The rules of the tag name starting at `from` (up to whitespace, `/` or `>`). Sets `tagNameEnd`. */
function readTagName(html: string, from: number, builder: TreeBuilder): TagRules {
  let hash = 0;
  let i = from;
  for (; i < html.length; i++) {
    const code = html.charCodeAt(i);
    if (code === 62 || code === 47 || isSpace(code)) break;
    hash = (Math.imul(hash, 31) + lowerCode(code)) & 0x3fffffff;
  }
  tagNameEnd = i;
  return builder.rules(html, from, i, hash);
}

/**
 * Reads a start tag's attributes from just after its name to its `>`: a scan by character
 * codes, with `indexOf` over quoted values. Null when the input ends inside the tag.
 */
function readStartTag(html: string, from: number): StartTag | null {
  // A prototype-less object is a hash table from the start: it takes thousands of differently
  // named attributes without building hidden classes, and reads back faster downstream.
  const attribs: Record<string, string> = Object.create(null);
  const length = html.length;
  let i = from;
  let slash = false;
  while (i < length) {
    const code = html.charCodeAt(i);
    if (code === 62) return { attribs, end: i + 1, selfClosing: slash };
    if (isSpace(code)) {
      i++;
      continue;
    }
    if (code === 47) {
      slash = true;
      i++;
      continue;
    }
    slash = false;
    // An attribute name runs to whitespace, `/`, `>` or `=` (a leading `=` belongs to it).
    const nameStart = i;
    let hash = lowerCode(code);
    for (i++; i < length; i++) {
      const c = html.charCodeAt(i);
      if (c === 61 || c === 62 || c === 47 || isSpace(c)) break;
      hash = (Math.imul(hash, 31) + lowerCode(c)) & 0x3fffffff;
    }
    const name = attributeName(html, nameStart, i, hash);
    let j = i;
    while (j < length && isSpace(html.charCodeAt(j))) j++;
    let value = '';
    if (html.charCodeAt(j) === 61) {
      j++;
      while (j < length && isSpace(html.charCodeAt(j))) j++;
      const quote = html.charCodeAt(j);
      if (quote === 34 || quote === 39) {
        const close = html.indexOf(quote === 34 ? '"' : "'", j + 1);
        if (close === -1) return null;
        value = html.slice(j + 1, close);
        i = close + 1;
      } else {
        let k = j;
        for (; k < length; k++) {
          const c = html.charCodeAt(k);
          if (c === 62 || isSpace(c)) break;
        }
        value = html.slice(j, k);
        i = k;
      }
      if (value.indexOf('&') !== -1) value = decodeHTMLAttribute(value);
    }
    if (attribs[name] === undefined) attribs[name] = value;
  }
  return null;
}

/**
 * Parses an HTML document into a domhandler Document. Throws HtmlTooDeepError when elements
 * nest deeper than `maxDepth`.
 */
export function parseHtml(html: string, maxDepth: number): Document {
  const builder = new TreeBuilder(maxDepth);
  const length = html.length;
  let textStart = 0;
  let at = html.indexOf('<');
  const flushText = (end: number) => {
    if (end <= textStart) return;
    const data = html.slice(textStart, end);
    builder.text(data.indexOf('&') === -1 ? data : decodeHTML(data));
  };
  while (at !== -1 && at < length - 1) {
    const next = html.charCodeAt(at + 1);
    if (isAsciiLetter(next)) {
      flushText(at);
      const rules = readTagName(html, at + 1, builder);
      const tag = readStartTag(html, tagNameEnd);
      if (tag === null) {
        // An unfinished tag at the end of the input is dropped.
        textStart = length;
        break;
      }
      const { attribs, end } = tag;
      // In SVG and MathML `<x/>` is closed at once, and `<title/>` holds no raw text.
      const closed = tag.selfClosing && builder.inForeignContent;
      const element = builder.open(rules, attribs);
      textStart = end;
      if (rules.rawText !== null && !closed) {
        const close = findEndTag(html, rules.name, end);
        const contentEnd = close === -1 ? length : close;
        const content = html.slice(end, contentEnd);
        builder.text(
          rules.rawText === 'decoded' && content.indexOf('&') !== -1 ? decodeHTML(content) : content,
        );
        builder.close(rules);
        if (close === -1) {
          textStart = length;
          break;
        }
        const gt = html.indexOf('>', close);
        textStart = gt === -1 ? length : gt + 1;
      } else if (closed) {
        builder.closeIfCurrent(element, rules);
      }
      at = html.indexOf('<', textStart);
      continue;
    }
    if (next === 47 /* / */) {
      // Whitespace after `</` is skipped, as htmlparser2 does: `</ p>` ends a paragraph.
      let nameStart = at + 2;
      while (isSpace(html.charCodeAt(nameStart))) nameStart++;
      const third = html.charCodeAt(nameStart);
      const gt = html.indexOf('>', nameStart);
      if (isAsciiLetter(third)) {
        flushText(at);
        builder.close(readTagName(html, nameStart, builder));
      } else if (third === 62 && nameStart === at + 2) {
        // `</>` stays text.
        at = html.indexOf('<', at + 3);
        continue;
      } else {
        // `</` and no name: a bogus comment up to the next `>`.
        flushText(at);
        builder.comment(html.slice(at + 2, gt === -1 ? length : gt));
      }
      textStart = gt === -1 ? length : gt + 1;
      at = html.indexOf('<', textStart);
      continue;
    }
    if (next === 33 /* ! */) {
      flushText(at);
      if (html.startsWith('--', at + 2)) {
        const close = html.indexOf('-->', at + 4);
        builder.comment(html.slice(at + 4, close === -1 ? length : close));
        textStart = close === -1 ? length : close + 3;
      } else {
        const gt = html.indexOf('>', at + 2);
        builder.instruction(html.slice(at + 1, gt === -1 ? length : gt));
        textStart = gt === -1 ? length : gt + 1;
      }
      at = html.indexOf('<', textStart);
      continue;
    }
    if (next === 63 /* ? */) {
      flushText(at);
      const gt = html.indexOf('>', at + 2);
      builder.instruction(html.slice(at + 1, gt === -1 ? length : gt));
      textStart = gt === -1 ? length : gt + 1;
      at = html.indexOf('<', textStart);
      continue;
    }
    // A `<` that starts no tag is text.
    at = html.indexOf('<', at + 1);
  }
  flushText(length);
  return builder.document;
}
