import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';

/** Most `<time>` / date-like / byline elements worth keeping from one page. */
const MAX_TIME_ELEMENTS = 12;
const MAX_DATE_ELEMENT_CANDIDATES = 200;
const MAX_ITEMPROP_DATES = 20;
const MAX_AUTHOR_LINKS = 5;
const MAX_ITEMPROP_AUTHORS = 5;
const MAX_BYLINE_ELEMENTS = 8;
const MAX_H1 = 3;
const MAX_METAS = 1000;
/** Characters of digit-bearing body text kept for the page-text date scan. */
export const MAX_PAGE_TEXT_CHARS = 60_000;

/** Elements whose class (or id) says they hold a date: `date`, `publish`, `posted`, `time`, `datum`, `fecha`, `byline`. */
const DATE_CLASS = /date|publish|posted|time|datum|fecha|byline/i;
const DATE_ID = /date|time/i;
const BYLINE_CLASS = /byline|author|autor/i;
const BYLINE_ID = /byline/i;
/** Either of the above, to rule out both at once. */
const DATE_OR_BYLINE = /date|publish|posted|time|datum|fecha|byline|author|autor/i;
const ITEMPROP_DATE = new Set(['datePublished', 'dateCreated', 'dateModified']);
const NO_TEXT = new Set(['script', 'style', 'noscript', 'template']);

/** The elements and text the signal collectors read, gathered in one walk of the document. */
export interface PageScan {
  html: Element | null;
  metas: Element[];
  jsonLdScripts: Element[];
  /** Inline scripts that are not JSON-LD. */
  inlineScripts: Element[];
  h1: Element[];
  /** The first `<title>` inside `<head>`, and the first anywhere. */
  headTitle: Element | null;
  title: Element | null;
  canonical: Element | null;
  itempropDates: Element[];
  times: Element[];
  /** Elements whose class/id names a date, in document order (`<time>` and `<meta>` excluded). */
  dateElements: Element[];
  authorLinks: Element[];
  itempropAuthors: Element[];
  bylineElements: Element[];
  /** Text nodes of the body that contain a digit, outside script/style/noscript/template, capped. */
  digitTexts: string[];
}

function hasWord(list: string | undefined, word: string, ignoreCase = false): boolean {
  if (!list) return false;
  const words = (ignoreCase ? list.toLowerCase() : list).split(/\s+/);
  return words.includes(word);
}

/**
 * Walks the document once (iteratively, so deep nesting cannot overflow the stack) and sorts the
 * nodes the collectors need into buckets, each capped. Replaces one selector query per signal.
 */
export function scanPage($: CheerioAPI): PageScan {
  const scan: PageScan = {
    html: null,
    metas: [],
    jsonLdScripts: [],
    inlineScripts: [],
    h1: [],
    headTitle: null,
    title: null,
    canonical: null,
    itempropDates: [],
    times: [],
    dateElements: [],
    authorLinks: [],
    itempropAuthors: [],
    bylineElements: [],
    digitTexts: [],
  };
  let textChars = 0;
  // Stack entries: node plus flags (bit 1: inside <body>, bit 2: inside a no-text element, bit 4: inside <head>).
  const nodes: AnyNode[] = [...($.root()[0]?.children ?? [])].reverse();
  const flags: number[] = nodes.map(() => 0);
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    let flag = flags.pop()!;
    if (node.type === 'text') {
      if ((flag & 3) === 1 && textChars <= MAX_PAGE_TEXT_CHARS) {
        const data = node.data;
        if (/\d/.test(data)) {
          scan.digitTexts.push(data);
          textChars += data.length;
        }
      }
      continue;
    }
    if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') {
      if ('children' in node) pushChildren(node.children, flag, nodes, flags);
      continue;
    }
    const el = node as Element;
    const name = el.name;
    const attribs = el.attribs;
    switch (name) {
      case 'html':
        scan.html ??= el;
        break;
      case 'head':
        flag |= 4;
        break;
      case 'body':
        flag |= 1;
        break;
      case 'meta':
        if (scan.metas.length < MAX_METAS) scan.metas.push(el);
        break;
      case 'script':
        if (attribs.type && /ld\+json/i.test(attribs.type)) {
          if (attribs.type.trim().toLowerCase() === 'application/ld+json') scan.jsonLdScripts.push(el);
        } else if (attribs.src === undefined) scan.inlineScripts.push(el);
        break;
      case 'h1':
        if (scan.h1.length < MAX_H1) scan.h1.push(el);
        break;
      case 'title':
        if (flag & 4) scan.headTitle ??= el;
        scan.title ??= el;
        break;
      case 'link':
        if (scan.canonical === null && hasWord(attribs.rel, 'canonical', true)) scan.canonical = el;
        break;
      case 'time':
        if (scan.times.length < MAX_TIME_ELEMENTS) scan.times.push(el);
        break;
    }
    if (NO_TEXT.has(name)) flag |= 2;
    const itemprop = attribs.itemprop;
    if (itemprop !== undefined) {
      if (ITEMPROP_DATE.has(itemprop) && name !== 'meta' && scan.itempropDates.length < MAX_ITEMPROP_DATES)
        scan.itempropDates.push(el);
      if (hasWord(itemprop, 'author') && scan.itempropAuthors.length < MAX_ITEMPROP_AUTHORS)
        scan.itempropAuthors.push(el);
    }
    if ((name === 'a' || name === 'link') && scan.authorLinks.length < MAX_AUTHOR_LINKS) {
      if (hasWord(attribs.rel, 'author')) scan.authorLinks.push(el);
    }
    const className = attribs.class;
    const id = attribs.id;
    // One test rules out most elements: their class and id name neither a date nor a byline.
    const named =
      (className !== undefined && DATE_OR_BYLINE.test(className)) ||
      (id !== undefined && DATE_OR_BYLINE.test(id));
    if (
      named &&
      scan.dateElements.length < MAX_DATE_ELEMENT_CANDIDATES &&
      name !== 'time' &&
      name !== 'meta' &&
      name !== 'html' &&
      name !== 'body' &&
      ((className !== undefined && DATE_CLASS.test(className)) ||
        (id !== undefined && DATE_ID.test(id)) ||
        (name === 'abbr' && hasWord(className, 'published')))
    ) {
      scan.dateElements.push(el);
    }
    if (
      named &&
      scan.bylineElements.length < MAX_BYLINE_ELEMENTS &&
      ((className !== undefined && BYLINE_CLASS.test(className)) || (id !== undefined && BYLINE_ID.test(id)))
    ) {
      scan.bylineElements.push(el);
    }
    pushChildren(el.children, flag, nodes, flags);
  }
  return scan;
}

function pushChildren(children: AnyNode[], flag: number, nodes: AnyNode[], flags: number[]): void {
  for (let i = children.length - 1; i >= 0; i--) {
    nodes.push(children[i]!);
    flags.push(flag);
  }
}

/**
 * The element's text (all descendant text, as cheerio's `.text()`), whitespace-collapsed, or null
 * once it would exceed `max` characters, so a huge container costs no more than a small one.
 */
export function boundedText(node: AnyNode, max: number): string | null {
  let raw = '';
  let checkAt = max * 2 + 200;
  const stack: AnyNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.type === 'text') {
      raw += current.data;
      if (raw.length > checkAt) {
        raw = raw.replace(/\s+/g, ' ');
        if (raw.trim().length > max) return null;
        checkAt = raw.length + max + 200;
      }
    } else if ('children' in current) {
      const children = current.children;
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
  }
  const text = raw.replace(/\s+/g, ' ').trim();
  return text.length > max ? null : text;
}
