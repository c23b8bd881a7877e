import type { Element, ParentNode } from 'domhandler';
import { elementsInOrder, findFirst, removeNode, textOf } from './dom';
import { CHROME_TAGS, DROP_TAGS, evidenceOf, isHiddenOrChromeRole } from './evidence';
import { INLINE_TAGS, linkDensity, measure, type NodeStats } from './stats';

/** Text of this length in paragraphs makes a `<noscript>` the page itself, for readers without scripts. */
const NOSCRIPT_ARTICLE_CHARS = 200;

/**
 * Removes elements that never hold text a reader sees: scripts, styles, forms controls, media,
 * and `<noscript>` fallbacks, unless one holds paragraphs of text (a page rendered by script
 * that puts its article there for readers without scripts).
 */
export function dropNonContent(root: ParentNode): void {
  const doomed: Element[] = [];
  for (const element of elementsInOrder(root)) {
    if (element.name === 'noscript' && element.type === 'tag') {
      if (findFirst(element, 'p') && textOf(element).length >= NOSCRIPT_ARTICLE_CHARS) continue;
      doomed.push(element);
    } else if (DROP_TAGS.has(element.name) || element.type !== 'tag') {
      doomed.push(element);
    }
  }
  for (const element of doomed) removeNode(element);
}

/**
 * Removes page chrome: navigation landmarks, hidden elements, and elements whose class or id
 * names chrome (share bars, related links, comments, cookie and subscription prompts, ads) and
 * not content, unless the element holds most of the page's prose (a misused landmark or a
 * wrapper with an unlucky name). With `byName: false` class and id names are not read: the
 * second attempt on a page whose names hid everything (a forum thread named "comments").
 */
export function dropChromeByName(
  root: ParentNode,
  measured?: { elements: Element[]; stats: Map<Element, NodeStats> },
  options: { byName?: boolean } = {},
): void {
  const byName = options.byName ?? true;
  const elements = measured?.elements ?? elementsInOrder(root);
  const stats = measured?.stats ?? measure(elements);
  let pageText = 0;
  for (const child of root.children) {
    const childStats = stats.get(child as Element);
    if (childStats) pageText += childStats.textLen - childStats.linkLen;
  }
  const removed = new Set<Element>();
  for (const element of elements) {
    if (
      element.name === 'body' ||
      element.name === 'html' ||
      element.name === 'article' ||
      element.name === 'main'
    ) {
      continue;
    }
    if (element.parent && removed.has(element.parent as Element)) {
      removed.add(element);
      continue;
    }
    const captioned = element.name === 'figcaption';
    const kind = captioned ? null : chromeKind(element, byName);
    if (kind === null && !captioned) continue;
    const own = stats.get(element);
    const prose = own ? own.textLen - own.linkLen : 0;
    // Captions credit and describe pictures; a long one is a slide of the story itself.
    if (captioned) {
      if (prose < LONG_CAPTION) removed.add(element);
      continue;
    }
    if (prose > 0.5 * pageText) continue;
    const limit = element.name === 'header' ? HEADER_MAX_PROSE : SOFT_CHROME_MAX_PROSE;
    if (kind === 'soft' && prose >= limit && linkDensity(own) < 0.5) continue;
    removed.add(element);
  }
  for (const element of removed) {
    if (element.parent && removed.has(element.parent as Element)) continue;
    if (measured) unmeasure(element, stats);
    removeNode(element);
  }
}

/**
 * Takes a subtree about to be removed out of its ancestors' measures, so that the page need not
 * be measured again: its text, punctuation and link text leave every ancestor (all of its text
 * is link text from the nearest enclosing link up), and its inline text leaves the run of inline
 * ancestors directly above it.
 */
function unmeasure(element: Element, stats: Map<Element, NodeStats>): void {
  const gone = stats.get(element);
  if (!gone) return;
  let linkGone = gone.linkLen;
  let inlineGone = INLINE_TAGS.has(element.name) ? gone.inlineLen : 0;
  for (
    let node = element.parent as Element | null;
    node && node.type === 'tag';
    node = node.parent as Element | null
  ) {
    const own = stats.get(node);
    if (!own) break;
    own.textLen -= gone.textLen;
    own.commas -= gone.commas;
    own.stops -= gone.stops;
    own.inlineLen -= inlineGone;
    if (node.name === 'a') linkGone = gone.textLen;
    own.linkLen -= linkGone;
    if (node.name === 'a') own.linkLen = own.textLen;
    if (!INLINE_TAGS.has(node.name)) inlineGone = 0;
  }
}

/**
 * Soft chrome (a `<header>`, a caption, a teaser, a "meta" box) that holds at least this much
 * text outside links is part of the article: a lead, a caption that tells the story, a step.
 */
const SOFT_CHROME_MAX_PROSE = 150;
/** A figure caption this long tells part of the story (a slide, a step) rather than credit a picture. */
const LONG_CAPTION = 200;
/** A `<header>` with this much prose holds the article's lead, not the site's name and menu. */
const HEADER_MAX_PROSE = 80;

const DATA_TAGS = new Set(['table', 'thead', 'tbody', 'tr', 'dl']);

function hasAttributes(element: Element): boolean {
  for (const _ in element.attribs) return true;
  return false;
}

function chromeKind(element: Element, byName: boolean): 'hard' | 'soft' | null {
  // Most elements carry no attribute at all: only their tag can say chrome.
  if (!hasAttributes(element)) {
    if (element.name === 'header') return 'soft';
    return CHROME_TAGS.has(element.name) ? 'hard' : null;
  }
  if (isHiddenOrChromeRole(element)) return 'hard';
  if (element.name === 'header') return 'soft';
  if (CHROME_TAGS.has(element.name)) return 'hard';
  if (!byName) return null;
  const evidence = evidenceOf(element);
  if (evidence.content) return null;
  if (evidence.chrome) return 'hard';
  // A table named for its header row or its "meta" data is data: ingredients, results, prices.
  if (DATA_TAGS.has(element.name)) return null;
  return evidence.softChrome ? 'soft' : null;
}
