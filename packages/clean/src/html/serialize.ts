import type { AnyNode, Element } from 'domhandler';
import { isElement } from './dom';
import { linkDensity, type NodeStats } from './stats';

/** Elements that start and end a paragraph of output. */
const BLOCK_TAGS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'center',
  'dd',
  'details',
  'dir',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'ul',
  'caption',
  'legend',
  'html',
  'dialog',
  'frameset',
  'noframes',
]);
/** Groups of items that, when mostly links, are a menu or a list of other stories. */
const LINK_LIST_TAGS = new Set(['ul', 'ol', 'dl', 'table', 'div', 'section', 'nav', 'p', 'tbody', 'tr']);

export interface Block {
  text: string;
  /** Characters of the text inside links. */
  linkLen: number;
  /** The tag that opened the block (`p`, `h2`, `li`...). */
  tag: string;
  /**
   * Whether the block lies inside the core container (the one that won the scoring), rather
   * than in the surroundings taken with it. Always true when no core is given.
   */
  core: boolean;
}

/**
 * Turns the chosen subtrees into blocks of text, one per paragraph-level element, skipping
 * groups that are mostly links (menus, lists of other stories) and keeping line breaks.
 */
export function blocksOf(
  roots: Element[],
  stats: Map<Element, NodeStats>,
  core: Element | null = null,
): Block[] {
  const blocks: Block[] = [];
  // Inside the core when there is none, or while its subtree is open.
  let coreDepth = core === null ? 1 : 0;
  let parts: string[] = [];
  let linkLen = 0;
  let linkDepth = 0;
  let blockTag = 'p';
  let breaks = 0;

  const flush = (nextTag: string) => {
    let text = parts.join('');
    // Text nodes arrive with their whitespace collapsed: only joins, breaks and zero-width spaces
    // need the regular expressions, and most blocks have none.
    if (text.includes('  ') || text.includes('\n') || text.includes('\u200b') || text.includes('\u00a0')) {
      text = text
        .replace(/[ \t\r\f\u00a0\u200b]+/g, ' ')
        .replace(/ ?\n ?/g, '\n')
        .replace(/\n{2,}/g, '\n');
    }
    text = text.trim();
    if (text)
      blocks.push({ text, linkLen: Math.min(linkLen, text.length), tag: blockTag, core: coreDepth > 0 });
    parts = [];
    linkLen = 0;
    breaks = 0;
    blockTag = nextTag;
  };

  // Two parallel stacks (the node, and whether it is being left) rather than an object per step.
  const nodes: AnyNode[] = [];
  const exits: boolean[] = [];
  for (const root of roots) {
    nodes.push(root);
    exits.push(false);
    while (nodes.length > 0) {
      const node = nodes.pop() as AnyNode;
      const exit = exits.pop() as boolean;
      if (node.type === 'text') {
        const data = node.data;
        if (/\S/.test(data)) breaks = 0;
        parts.push(data.replace(/\s+/g, ' '));
        if (linkDepth > 0) linkLen += data.trim().length;
        continue;
      }
      if (!isElement(node) || node.type !== 'tag') continue;
      const name = node.name;
      if (exit) {
        if (name === 'a') linkDepth--;
        else if (BLOCK_TAGS.has(name)) flush('p');
        else if (name === 'td' || name === 'th') parts.push(' ');
        if (node === core) {
          flush('p');
          coreDepth--;
        }
        continue;
      }
      if (name === 'br') {
        breaks++;
        if (breaks >= 2) flush('p');
        else parts.push('\n');
        continue;
      }
      if (node !== root && LINK_LIST_TAGS.has(name)) {
        const own = stats.get(node);
        // Mostly links and little prose of its own: a menu or a list of other stories.
        if (own && own.textLen > 0) {
          const density = linkDensity(own);
          const prose = own.textLen - own.linkLen;
          if (density > 0.8 || (density > (name === 'p' ? 0.7 : 0.5) && prose < 300)) continue;
        }
      }
      if (name === 'img') {
        continue;
      }
      if (node === core) {
        flush(name);
        coreDepth++;
      }
      if (BLOCK_TAGS.has(name)) flush(name);
      else if (name === 'td' || name === 'th') parts.push(' ');
      if (name === 'a') linkDepth++;
      nodes.push(node);
      exits.push(true);
      for (let i = node.children.length - 1; i >= 0; i--) {
        nodes.push(node.children[i] as AnyNode);
        exits.push(false);
      }
    }
    flush('p');
  }
  return blocks;
}
