import type { CleanedDocument, Signal } from '@sluice/contracts';
import { joinParagraphs } from './normalize';
import { classifyLines, linesOf } from './text/classify-lines';
import { type TemplateHints, templateKeyOf } from './text/template';

/**
 * Main text of a plain-text document whose page chrome was flattened into it: keeps the
 * article's paragraphs, lifts the headline and dateline out into their own fields, and drops
 * navigation, prompts, teasers and lines the host's template is known to repeat. Pure and sync.
 */
export function cleanText(
  text: string,
  options: { url?: string | null; template?: TemplateHints } = {},
): CleanedDocument {
  const boilerplate = new Set(options.template?.boilerplate ?? []);
  const lines = classifyLines(linesOf(text));
  const paragraphs: string[] = [];
  const titleCandidates: Signal[] = [];
  const dateHints: Signal[] = [];
  let headline: string | null = null;
  for (const line of lines) {
    if (line.role === 'headline') {
      headline = line.text;
      titleCandidates.push({ source: 'text:headline', value: line.text });
    } else if (line.role === 'dateline') {
      dateHints.push({ source: 'text:dateline', value: line.text });
    } else if (line.role === 'body' && !boilerplate.has(templateKeyOf(line.text, line.position))) {
      paragraphs.push(line.text);
    }
  }
  const bylineHints: Signal[] = [];
  const byline = paragraphs[0]?.match(/^by\s+([\p{Lu}][\p{L}.'-]+(?:\s+[\p{Lu}][\p{L}.'-]+){0,3})$/iu);
  if (byline?.[1]) {
    bylineHints.push({ source: 'text:byline', value: byline[1] });
    paragraphs.shift();
  }
  return {
    format: 'text',
    text: joinParagraphs(paragraphs),
    headline,
    titleCandidates,
    dateHints,
    bylineHints,
    meta: {},
    jsonLd: [],
    canonicalUrl: null,
    lang: null,
    siteName: null,
  };
}
