import type { Signal } from '@sluice/contracts';
import type { Element } from 'domhandler';
import { articleObjects, jsonLdNames } from './json-ld';
import { boundedText, type PageScan } from './scan';
import { pushSignal } from './text';

const MAX_BYLINE_HINTS = 20;
const AUTHOR_META_KEYS = [
  'author',
  'article:author',
  'dc.creator',
  'dcterms.creator',
  'parsely-author',
  'sailthru.author',
  'byl',
  'citation_author',
];

/** The first descendant (not the element itself) whose itemprop list includes `name`. */
function itempropName(el: Element): Element | null {
  const stack = [...el.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type !== 'tag') continue;
    if (node.attribs.itemprop?.split(/\s+/).includes('name')) return node;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return null;
}

/** Byline hints: JSON-LD author, author metas, rel=author links, itemprop/class author and byline elements. */
export function collectBylineHints(
  scan: PageScan,
  meta: Record<string, string>,
  jsonLd: Record<string, unknown>[],
): Signal[] {
  const hints: Signal[] = [];
  for (const object of articleObjects(jsonLd)) {
    for (const name of jsonLdNames(object.author ?? object.creator)) pushSignal(hints, 'jsonld:author', name);
  }
  for (const key of AUTHOR_META_KEYS) pushSignal(hints, `meta:${key}`, meta[key]);
  for (const el of scan.authorLinks) pushSignal(hints, 'rel:author', boundedText(el, 120), 120);
  for (const el of scan.itempropAuthors) {
    const name = itempropName(el);
    const value = name
      ? (name.attribs.content ?? boundedText(name, 120))
      : (el.attribs.content ?? boundedText(el, 120));
    pushSignal(hints, 'itemprop:author', value, 120);
  }
  for (const el of scan.bylineElements) {
    if (el.name === 'body' || el.name === 'html' || el.name === 'article') continue;
    pushSignal(hints, 'element:byline', boundedText(el, 160), 160);
  }
  return hints.slice(0, MAX_BYLINE_HINTS);
}
