import type { Element } from 'domhandler';
import { decodeHTML } from 'entities';
import { articleObjects } from '../signals/json-ld';
import { parseHtml } from './parse';
import { blocksOf } from './serialize';

/** A declared body shorter than this is a summary, not the article. */
const MIN_DECLARED_BODY_CHARS = 500;
/** The declared body replaces the page's text when it is at least this many times longer. */
const DECLARED_BODY_ADVANTAGE = 2;
/** Markup inside a declared body is parsed this deep at most. */
const MAX_DECLARED_BODY_DEPTH = 100;

/** The longest `articleBody` (or a review's `reviewBody`) the page's JSON-LD declares. */
function longestDeclaredBody(jsonLd: readonly unknown[]): string | null {
  const objects = jsonLd.filter(
    (value): value is Record<string, unknown> =>
      typeof value === 'object' && value !== null && !Array.isArray(value),
  );
  let longest: string | null = null;
  for (const object of articleObjects(objects)) {
    for (const key of ['articleBody', 'reviewBody']) {
      const value = object[key];
      if (typeof value === 'string' && value.length > (longest?.length ?? 0)) longest = value;
    }
  }
  return longest;
}

function charsOf(paragraphs: string[]): number {
  return paragraphs.reduce((sum, paragraph) => sum + paragraph.length, 0);
}

/** Paragraphs of a declared body: markup is read as HTML, plain text split at line breaks. */
function paragraphsOfBody(body: string): string[] {
  if (/<(?:p|div|br|h[1-6]|li)\b[^>]*>/i.test(body)) {
    const root = parseHtml(body, MAX_DECLARED_BODY_DEPTH);
    const elements = root.children.filter((node): node is Element => node.type === 'tag');
    // A fragment's blocks carry no link statistics: nothing in it is treated as a link list.
    return blocksOf(elements, new Map()).map((block) => block.text);
  }
  const text = body.includes('&') ? decodeHTML(body) : body;
  return text
    .split(/\n+/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

/**
 * The article as the page declares it in JSON-LD, when that is far longer than what its markup
 * shows: pages rendered by script, and paywalled pages that show a teaser but give search
 * engines the whole text, carry little in their HTML. Null when the markup already holds the
 * article (or more of it), or when nothing is declared.
 */
export function declaredBodyParagraphs(jsonLd: readonly unknown[], extracted: string[]): string[] | null {
  const body = longestDeclaredBody(jsonLd);
  if (body === null || body.length < MIN_DECLARED_BODY_CHARS) return null;
  const extractedChars = charsOf(extracted);
  // The raw value (markup and all) is never shorter than its text: most pages stop here.
  if (body.length < extractedChars * DECLARED_BODY_ADVANTAGE) return null;
  try {
    const paragraphs = paragraphsOfBody(body);
    const declaredChars = charsOf(paragraphs);
    if (declaredChars < MIN_DECLARED_BODY_CHARS || declaredChars < extractedChars * DECLARED_BODY_ADVANTAGE)
      return null;
    return paragraphs;
  } catch {
    // Markup nested beyond reason in a declared body: the page's own text stands.
    return null;
  }
}
