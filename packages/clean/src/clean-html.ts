import type { CleanedDocument } from '@sluice/contracts';
import * as cheerio from 'cheerio';
import type { Document, Element, ParentNode } from 'domhandler';
import { DocumentRejectedError } from './errors';
import { declaredBodyParagraphs } from './html/declared-body';
import { elementsInOrder, findFirst } from './html/dom';
import { evidenceOf, forgetClassNames } from './html/evidence';
import { filterBlocks } from './html/filter-blocks';
import { headlineOf, titleVariants } from './html/headline';
import { HtmlTooDeepError, parseHtml } from './html/parse';
import { dropChromeByName, dropNonContent } from './html/prune';
import { selectMainContent } from './html/select';
import { blocksOf } from './html/serialize';
import { measure, type NodeStats } from './html/stats';
import { MAX_HTML_DEPTH } from './limits';
import { comparable, joinParagraphs } from './normalize';
import { collectHtmlSignals } from './signals';

/** Below this many characters nothing was found: the page is read again without class and id names. */
const NOTHING_CHARS = 25;
/** Below this many characters the chosen container is a miss and the whole body is read instead. */
const MIN_ARTICLE_CHARS = 250;

interface Extracted {
  paragraphs: string[];
  /** Date-only lines dropped before the first paragraph (the dateline). */
  leadTimestamps: string[];
}

function extractParagraphs(body: ParentNode, headlines: string[], stats: Map<Element, NodeStats>): Extracted {
  const elements = elementsInOrder(body);
  const selection = selectMainContent(elements, stats);
  const leadTimestamps: string[] = [];
  const chosen = filterBlocks(blocksOf(selection.nodes, stats, selection.core), {
    headlines,
    leadTimestamps,
  });
  const marked =
    selection.top !== null && (evidenceOf(selection.top).content || selection.top.name === 'article');
  if (chosen.join(' ').length >= MIN_ARTICLE_CHARS || marked || !findFirst(body, 'p'))
    return { paragraphs: chosen, leadTimestamps };
  const everyLead: string[] = [];
  const everything = filterBlocks(
    blocksOf(
      elementsInOrder(body).filter((e) => e.parent === body),
      stats,
    ),
    { headlines, leadTimestamps: everyLead },
  );
  return everything.join(' ').length > chosen.join(' ').length
    ? { paragraphs: everything, leadTimestamps: everyLead }
    : { paragraphs: chosen, leadTimestamps };
}

/** Removes what is never the article from the page (a parsed tree it changes), then extracts it. */
function paragraphsOf(root: Document, headlines: string[], byName: boolean): Extracted {
  const body: ParentNode = findFirst(root, 'body') ?? root;
  dropNonContent(body);
  // Measured once: removing chrome takes the removed text out of the measures.
  const elements = elementsInOrder(body);
  const stats = measure(elements);
  dropChromeByName(body, { elements, stats }, { byName });
  return extractParagraphs(body, headlines, stats);
}

/** Source of the hint that keeps a date-only line dropped before the article's first paragraph. */
export const DATE_LINE_SOURCE = 'text:date-line';

/** A description shorter than this is a tagline, not a standfirst. */
const MIN_STANDFIRST_CHARS = 80;

/**
 * The page's description when it is a standfirst the body lacks: pages that render their
 * subtitle by script leave it only in the `description` metadata. Taken when it reads as whole
 * sentences (not cut off with an ellipsis) and no paragraph already says it.
 */
function standfirstOf(meta: Record<string, string>, paragraphs: string[]): string | null {
  if (paragraphs.length === 0) return null;
  const description = (meta['og:description'] ?? meta.description ?? meta['twitter:description'] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  if (description.length < MIN_STANDFIRST_CHARS || !/[.!?"”»]$/.test(description)) return null;
  const probe = comparable(description.slice(0, 40));
  // Usually the lead says it: the first paragraphs are read before the whole text.
  if (comparable(paragraphs.slice(0, 3).join(' ')).includes(probe)) return null;
  return comparable(paragraphs.join(' ')).includes(probe) ? null : description;
}

/** The page's tree, in the same form cheerio's htmlparser2 mode builds, at about twice its speed. */
function parse(html: string): Document {
  try {
    return parseHtml(html, MAX_HTML_DEPTH);
  } catch (error) {
    if (error instanceof HtmlTooDeepError) throw new DocumentRejectedError('too-deep', error.message);
    throw error;
  }
}

/**
 * Main text and structured signals of an HTML page. Pure and synchronous. Throws
 * DocumentRejectedError only for markup nested deeper than any real page.
 */
export function cleanHtml(html: string, options: { url?: string | null } = {}): CleanedDocument {
  const root = parse(html);
  const $ = cheerio.load(root);
  forgetClassNames();
  const signals = collectHtmlSignals($, { url: options.url ?? null });
  const headline = headlineOf(root);
  const headlines = [...(headline ? [headline] : []), ...titleVariants(root)];
  let extracted = paragraphsOf(root, headlines, true);
  if (extracted.paragraphs.join(' ').length < NOTHING_CHARS) {
    // Class and id names hid (nearly) everything: a forum thread named "comments", a story in a
    // "teaser" box. Read a fresh copy of the page again without them and keep the longer text.
    const again = paragraphsOf(parse(html), headlines, false);
    if (again.paragraphs.join(' ').length > extracted.paragraphs.join(' ').length) extracted = again;
  }
  let paragraphs = declaredBodyParagraphs(signals.jsonLd, extracted.paragraphs) ?? extracted.paragraphs;
  // The dateline the text no longer shows stays a hint: the date finder reads it as the lead.
  const dateHints = [
    ...signals.dateHints,
    ...extracted.leadTimestamps.slice(0, 1).map((value) => ({ source: DATE_LINE_SOURCE, value })),
  ];
  forgetClassNames();
  const standfirst = standfirstOf(signals.meta, paragraphs);
  if (standfirst) paragraphs = [standfirst, ...paragraphs];
  return {
    format: 'html',
    text: joinParagraphs(paragraphs),
    headline,
    titleCandidates: signals.titleCandidates,
    dateHints,
    bylineHints: signals.bylineHints,
    meta: signals.meta,
    jsonLd: signals.jsonLd,
    canonicalUrl: signals.canonicalUrl ?? null,
    lang: signals.lang ?? null,
    siteName: signals.siteName ?? null,
  };
}
