import type { Element, ParentNode } from 'domhandler';
import { elementsInOrder, removeNode } from './dom';
import { CHROME_TAGS, DROP_TAGS, evidenceOf, isHiddenOrChromeRole } from './evidence';
import { measure } from './stats';

/** Removes elements that never hold text a reader sees: scripts, styles, forms controls, media. */
export function dropNonContent(root: ParentNode): void {
  const doomed: Element[] = [];
  for (const element of elementsInOrder(root)) {
    if (DROP_TAGS.has(element.name) || element.type !== 'tag') {
      doomed.push(element);
    }
  }
  for (const element of doomed) removeNode(element);
}

/**
 * Removes page chrome: navigation landmarks, hidden elements, and elements whose class or id
 * names chrome (share bars, related links, comments, cookie and subscription prompts, ads) and
 * not content, unless the element holds most of the page's prose (a misused landmark or a
 * wrapper with an unlucky name).
 */
export function dropChromeByName(root: ParentNode): void {
  const elements = elementsInOrder(root);
  const stats = measure(elements);
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
    if (!isChrome(element)) continue;
    const own = stats.get(element);
    const prose = own ? own.textLen - own.linkLen : 0;
    if (prose > 0.5 * pageText) continue;
    removed.add(element);
  }
  for (const element of removed) {
    if (!(element.parent && removed.has(element.parent as Element))) removeNode(element);
  }
}

function isChrome(element: Element): boolean {
  if (CHROME_TAGS.has(element.name) || isHiddenOrChromeRole(element)) return true;
  const evidence = evidenceOf(element);
  return evidence.chrome && !evidence.content;
}
