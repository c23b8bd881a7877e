import type { Element } from 'domhandler';
import { evidenceOf } from './evidence';
import { INLINE_TAGS, linkDensity, type NodeStats } from './stats';

const TEXT_BLOCK_TAGS = new Set(['p', 'pre', 'td', 'blockquote', 'li', 'dd']);
const CONTAINER_TAGS = new Set([
  'div',
  'section',
  'article',
  'main',
  'td',
  'body',
  'center',
  'font',
  'span',
  'form',
]);

function tagPrior(element: Element): number {
  switch (element.name) {
    case 'div':
    case 'article':
    case 'section':
      return 5;
    case 'main':
      return 8;
    case 'pre':
    case 'td':
    case 'blockquote':
      return 3;
    case 'address':
    case 'ol':
    case 'ul':
    case 'dl':
    case 'dd':
    case 'dt':
    case 'li':
    case 'form':
      return -3;
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6':
    case 'th':
      return -5;
    default:
      return 0;
  }
}

function namePrior(element: Element): number {
  const evidence = evidenceOf(element);
  let prior = 0;
  if (evidence.content) prior += 25;
  if (evidence.chrome) prior -= 25;
  else if (evidence.softChrome) prior -= 10;
  const itemprop = element.attribs.itemprop;
  if (itemprop === 'articleBody') prior += 40;
  if (element.name === 'article') prior += 10;
  return prior;
}

/** How much a block of running text says: one point, one per comma, one per 100 characters (up to 3). */
function blockScore(stats: NodeStats, length: number): number {
  const commas = stats.textLen > 0 ? Math.round((stats.commas * length) / stats.textLen) : 0;
  return 1 + commas + Math.min(Math.floor(length / 100), 3);
}

function proseLength(element: Element, stats: NodeStats): number {
  if (TEXT_BLOCK_TAGS.has(element.name)) return stats.textLen - stats.linkLen;
  if (CONTAINER_TAGS.has(element.name) || INLINE_TAGS.has(element.name)) return stats.inlineLen;
  return 0;
}

export interface Selection {
  /** The nodes whose content is the article, in document order (the top candidate and siblings). */
  nodes: Element[];
  top: Element | null;
  /** The container that won the scoring, inside `top` (which may have grown around it). */
  core: Element | null;
}

/**
 * Chooses the article's container: every block of prose scores its ancestors (the nearer, the
 * more), scores are discounted by link density and weighted by tag and class/id evidence, and
 * siblings of the winner that read like the same article are kept with it.
 */
export function selectMainContent(elements: Element[], stats: Map<Element, NodeStats>): Selection {
  const scores = new Map<Element, number>();
  const scoreOf = (element: Element): number => {
    let score = scores.get(element);
    if (score === undefined) {
      score = tagPrior(element) + namePrior(element);
      scores.set(element, score);
    }
    return score;
  };

  for (const element of elements) {
    const own = stats.get(element);
    if (!own) continue;
    const length = proseLength(element, own);
    if (length < 25) continue;
    // Link lists (archives, teasers) are not prose, however many commas their titles have.
    const density = linkDensity(own);
    if (density > 0.5) continue;
    const score = blockScore(own, length) * (1 - density);
    let ancestor = element.parent as Element | null;
    // A div that speaks for itself is its own candidate too.
    if (!TEXT_BLOCK_TAGS.has(element.name)) scores.set(element, scoreOf(element) + score);
    for (let level = 0; level < 5 && ancestor && ancestor.type === 'tag'; level++) {
      const divider = level === 0 ? 1 : level === 1 ? 2 : level * 3;
      scores.set(ancestor, scoreOf(ancestor) + score / divider);
      ancestor = ancestor.parent as Element | null;
    }
  }

  let top: Element | null = null;
  let topScore = Number.NEGATIVE_INFINITY;
  const finals = new Map<Element, number>();
  for (const [element, score] of scores) {
    const final = score * (1 - linkDensity(stats.get(element)));
    finals.set(element, final);
    if (final > topScore) {
      topScore = final;
      top = element;
    }
  }
  if (!top) return { nodes: [], top: null, core: null };

  top = widenToSharedAncestor(top, topScore, finals);
  const core = top;
  top = growOverCleanSurroundings(top, stats);

  const parent = top.parent as Element | null;
  if (parent?.type !== 'tag') return { nodes: [top], top, core };
  const threshold = Math.max(10, topScore * 0.2);
  const named = top.attribs.itemprop === 'articleBody';
  const topClass = top.attribs.class ?? '';
  const nodes: Element[] = [];
  for (const sibling of parent.children) {
    if (sibling.type !== 'tag') continue;
    if (sibling === top) {
      nodes.push(sibling);
      continue;
    }
    const siblingStats = stats.get(sibling);
    if (!siblingStats) continue;
    const bonus = topClass && sibling.attribs.class === topClass ? topScore * 0.2 : 0;
    const score = finals.get(sibling) ?? 0;
    const density = linkDensity(siblingStats);
    let keep = score + bonus >= threshold;
    const wrapper = sibling.name === 'div' || sibling.name === 'section';
    if (
      !keep &&
      (sibling.name === 'p' ||
        sibling.name === 'blockquote' ||
        sibling.name === 'pre' ||
        // A wrapper of prose beside the container continues it, unless the page declares the
        // container its schema.org articleBody: then that is the whole of it.
        (wrapper && !named))
    ) {
      const length = siblingStats.textLen;
      keep =
        (length > 80 && density < 0.25) ||
        (length > 0 && length <= 80 && density === 0 && siblingStats.stops > 0);
    }
    if (keep) nodes.push(sibling);
  }
  return { nodes, top, core };
}

/**
 * When several strong candidates (say the paragraphs groups of an article split by a figure)
 * share an ancestor, that ancestor is the article.
 */
function widenToSharedAncestor(top: Element, topScore: number, finals: Map<Element, number>): Element {
  const strong: Element[] = [];
  for (const [element, score] of finals) {
    if (
      element !== top &&
      score >= topScore * 0.75 &&
      !isAncestor(element, top) &&
      !isAncestor(top, element)
    ) {
      strong.push(element);
    }
  }
  if (strong.length < 2) return top;
  let ancestor = top.parent as Element | null;
  while (ancestor && ancestor.type === 'tag' && ancestor.name !== 'body') {
    let contained = 0;
    for (const element of strong) {
      for (let node = element.parent; node; node = node.parent) {
        if (node === ancestor) {
          contained++;
          break;
        }
      }
    }
    if (contained >= 2) return ancestor;
    ancestor = ancestor.parent as Element | null;
  }
  return top;
}

/** Share of the text around the container, inside its parent, that may be links for the parent to be taken. */
const MAX_SURROUNDING_LINK_DENSITY = 0.3;
/** Text around the container too short to be more than a button. */
const BUTTON_LINK_CHARS = 20;
/** How much text, relative to the container's, its parent may add and still be the same article. */
const MAX_SURROUNDING_SHARE = 2;

/**
 * The winning block is often the body text alone, with the lead, the standfirst or a
 * subheading in a wrapper around it. Climbs while what the parent adds is little and reads like
 * prose (few links), and stops at the page's body.
 */
function growOverCleanSurroundings(top: Element, stats: Map<Element, NodeStats>): Element {
  let current = top;
  // Wrappers that add nothing are free; only steps that take in text count.
  for (let steps = 0; steps < 3; ) {
    const parent = current.parent as Element | null;
    if (parent?.type !== 'tag' || parent.name === 'body' || parent.name === 'html') break;
    const inner = stats.get(current);
    const outer = stats.get(parent);
    if (!inner || !outer) break;
    const extraText = outer.textLen - inner.textLen;
    const extraLinks = outer.linkLen - inner.linkLen;
    if (extraText > 0) {
      // A lone "Read more" or "Continue reading" button around the text does not stop it.
      if (extraLinks > extraText * MAX_SURROUNDING_LINK_DENSITY && extraText > BUTTON_LINK_CHARS) break;
      if (extraText > inner.textLen * MAX_SURROUNDING_SHARE) break;
      steps++;
    }
    current = parent;
  }
  return current;
}

function isAncestor(ancestor: Element, node: Element): boolean {
  for (let current = node.parent; current; current = current.parent) if (current === ancestor) return true;
  return false;
}
