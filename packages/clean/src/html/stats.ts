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

interface TextMeasure {
  length: number;
  commas: number;
  stops: number;
}

/** Whitespace-collapsed length and punctuation of a text node, in one pass. */
function measureText(text: string, out: TextMeasure): void {
  let length = 0;
  let commas = 0;
  let stops = 0;
  let space = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 32 || code === 10 || code === 9 || code === 13 || code === 160 || code === 12) {
      if (!space) length++;
      space = true;
      continue;
    }
    length++;
    space = false;
    if (code === 44 || code === 0xff0c || code === 0x3001 || code === 0x60c) commas++;
    else if (code === 46 || code === 63 || code === 33 || code === 0x3002 || code === 0x61f) stops++;
  }
  out.length = length;
  out.commas = commas;
  out.stops = stops;
}

/** Measures every element; `elements` must be in document order (children after parents). */
export function measure(elements: Element[]): Map<Element, NodeStats> {
  const stats = new Map<Element, NodeStats>();
  const text: TextMeasure = { length: 0, commas: 0, stops: 0 };
  for (let i = elements.length - 1; i >= 0; i--) {
    const element = elements[i] as Element;
    const own: NodeStats = { textLen: 0, linkLen: 0, inlineLen: 0, commas: 0, stops: 0 };
    for (const child of element.children as AnyNode[]) {
      if (child.type === 'text') {
        measureText(child.data, text);
        own.textLen += text.length;
        own.inlineLen += text.length;
        own.commas += text.commas;
        own.stops += text.stops;
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
