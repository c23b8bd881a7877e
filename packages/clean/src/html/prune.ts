import type { Element, ParentNode } from 'domhandler';
import { elementsInOrder, removeNode } from './dom';
import { DROP_TAGS, evidenceOf, isHiddenOrChromeRole } from './evidence';
import { linkDensity, measure } from './stats';

/** Removes elements that never hold article text: scripts, navigation landmarks, hidden elements. */
export function dropNonContent(root: ParentNode): void {
  const doomed: Element[] = [];
  for (const element of elementsInOrder(root)) {
    if (DROP_TAGS.has(element.name) || element.type !== 'tag' || isHiddenOrChromeRole(element)) {
      doomed.push(element);
    }
  }
  for (const element of doomed) removeNode(element);
}

/**
 * Removes elements whose class or id names page chrome (share bars, related links, comments,
 * cookie and subscription prompts, ads), unless the same attributes also name content or the
 * element holds most of the page's prose (a wrapper with an unlucky name).
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
    const evidence = evidenceOf(element);
    if (!evidence.chrome || evidence.content) continue;
    const own = stats.get(element);
    const prose = own ? own.textLen - own.linkLen : 0;
    if (prose > 0.4 * pageText && linkDensity(own) < 0.3) continue;
    removed.add(element);
  }
  for (const element of removed) {
    if (!(element.parent && removed.has(element.parent as Element))) removeNode(element);
  }
}
