import { isCallToAction, isFurnitureLine, opensComments } from '../furniture';
import { comparable } from '../normalize';
import type { Block } from './serialize';

/** Ends like a sentence, in any script: full stop, question or exclamation mark, colon, closing quote. */
const SENTENCE_END = /[.!?:;…。！？؟"”»“']$/;

/**
 * Whether a block around the core container (a lead, a standfirst, an intro) reads like the
 * article rather than its furniture (a "Related" label, a caption credit, a date, a name):
 * long enough with few links, or a whole sentence without links.
 */
export function readsLikeProse(block: Block): boolean {
  const { text, linkLen } = block;
  if (text.length >= 80 && linkLen < text.length * 0.25) return true;
  if (linkLen > 0 || text.length < 20) return false;
  return SENTENCE_END.test(text) && text.split(' ').length >= 4;
}

/** A whole date or a time: 23.10.2018, 2018-10-23, 19:49, 5. Mai 2014, May 5, 2014. */
const DATE_OR_TIME =
  /\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b|\b\d{1,2}\.?\s+\p{L}{3,}\.?\s+\d{4}\b|\p{L}{3,}\.?\s+\d{1,2},?\s+\d{4}\b/u;

/**
 * A line that is only a date or a time, perhaps with a label or a month name ("Updated:
 * 03.04.2020", "05. Februar 2020", "3:59 PM"): a timestamp, not text, in any language.
 */
export function isTimestampLine(text: string): boolean {
  if (text.length > 40 || !DATE_OR_TIME.test(text)) return false;
  // Phone numbers and postcodes with street names are digits too, but more of them.
  if ((text.match(/\d/g)?.length ?? 0) > 12) return false;
  const words = text
    .replace(/[\d\s.,:/\-–|()]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  return words.length <= 3 && words.join('').length <= 20;
}

export interface BlockFilterOptions {
  /** Texts the first paragraphs must not repeat: the headline and the title's parts. */
  headlines: string[];
  /**
   * Filled with the timestamp lines dropped before the first kept block: the article's dateline,
   * which the text no longer shows but the date finder reads as its lead.
   */
  leadTimestamps?: string[];
}

const HEADING = /^h[1-6]$/;

function headingLevel(block: Block): number {
  return HEADING.test(block.tag) ? Number(block.tag[1]) : 0;
}

/**
 * Headings that head nothing: followed by no text, or straight by a heading of the same or a
 * higher rank. What they headed was furniture ("Related", "Comments", "More on this") that is
 * gone, or never text.
 */
function dropOrphanHeadings(blocks: Block[]): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i] as Block;
    const level = headingLevel(block);
    if (level > 0) {
      const next = blocks[i + 1];
      const nextLevel = next ? headingLevel(next) : 1;
      if (nextLevel > 0 && nextLevel <= level) continue;
    }
    out.push(block);
  }
  return out;
}

function isCommentsHeading(block: Block): boolean {
  return (HEADING.test(block.tag) || block.text.length < 40) && opensComments(block.text);
}

/** Blocks longer than this are compared as they are (headlines and furniture are shorter). */
const MAX_NORMALISED_KEY = 300;

/** Drops link-dominated blocks, page furniture, repeated blocks and the repeated headline. */
export function filterBlocks(blocks: Block[], options: BlockFilterOptions): string[] {
  const headlines = new Set(options.headlines.map(comparable).filter((text) => text.length > 0));
  const seen = new Set<string>();
  const kept: Block[] = [];
  for (const block of blocks) {
    const text = block.text;
    // Readers' comments close the page: nothing after their heading is the article.
    if (kept.length > 0 && isCommentsHeading(block)) break;
    // Long blocks repeat verbatim (a mobile and a desktop copy): only short ones need normalising.
    const key = text.length <= MAX_NORMALISED_KEY ? comparable(text) : text;
    if (kept.length < 3 && headlines.has(key)) continue;
    if (seen.has(key) && key.length > 1) continue;
    seen.add(key);
    if (isFurnitureLine(text) || isCallToAction(text)) continue;
    if (isTimestampLine(text)) {
      if (kept.length === 0) options.leadTimestamps?.push(text);
      continue;
    }
    if (block.linkLen > 0 && block.linkLen / text.length > 0.7) continue;
    if (!block.core && !readsLikeProse(block)) continue;
    kept.push(block);
  }
  return dropOrphanHeadings(kept).map((block) => block.text);
}
