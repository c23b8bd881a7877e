import type { AnyNode, Element } from 'domhandler';
import { isElement } from './dom';

/** Per-element text measures, summed over the subtree. Lengths are of whitespace-collapsed text. */
export interface NodeStats {
  textLen: number;
  /** Text inside links. */
  linkLen: number;
  /** Text directly in the element or in its inline children: what it says itself, not its blocks. */
  inlineLen: number;
  commas: number;
  /** Full stops, question and exclamation marks: sentences. */
  stops: number;
}

export const INLINE_TAGS = new Set([
  'a',
  'abbr',
  'b',
  'bdi',
  'bdo',
  'cite',
  'code',
  'data',
  'dfn',
  'em',
  'font',
  'i',
  'kbd',
  'mark',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'time',
  'u',
  'var',
  'wbr',
  'br',
  'img',
  'strike',
  'big',
  'tt',
  'ins',
  'del',
  'label',
]);

function collapsedLength(text: string): number {
  let length = 0;
  let space = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const isSpace = code === 32 || code === 10 || code === 9 || code === 13 || code === 160 || code === 12;
    if (isSpace) {
      if (!space) length++;
      space = true;
    } else {
      length++;
      space = false;
    }
  }
  return length;
}

function countPunctuation(text: string): { commas: number; stops: number } {
  let commas = 0;
  let stops = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === ',' || char === '，' || char === '、' || char === '،') commas++;
    else if (char === '.' || char === '?' || char === '!' || char === '。' || char === '؟') stops++;
  }
  return { commas, stops };
}

/** Measures every element; `elements` must be in document order (children after parents). */
export function measure(elements: Element[]): Map<Element, NodeStats> {
  const stats = new Map<Element, NodeStats>();
  for (let i = elements.length - 1; i >= 0; i--) {
    const element = elements[i] as Element;
    const own: NodeStats = { textLen: 0, linkLen: 0, inlineLen: 0, commas: 0, stops: 0 };
    for (const child of element.children as AnyNode[]) {
      if (child.type === 'text') {
        const length = collapsedLength(child.data);
        const punctuation = countPunctuation(child.data);
        own.textLen += length;
        own.inlineLen += length;
        own.commas += punctuation.commas;
        own.stops += punctuation.stops;
      } else if (isElement(child)) {
        const sub = stats.get(child);
        if (!sub) continue;
        own.textLen += sub.textLen;
        own.linkLen += sub.linkLen;
        own.commas += sub.commas;
        own.stops += sub.stops;
        if (INLINE_TAGS.has(child.name)) own.inlineLen += sub.inlineLen;
      }
    }
    if (element.name === 'a') own.linkLen = own.textLen;
    stats.set(element, own);
  }
  return stats;
}

export function linkDensity(stats: NodeStats | undefined): number {
  if (!stats || stats.textLen === 0) return 0;
  return stats.linkLen / stats.textLen;
}
