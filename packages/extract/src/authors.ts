import type { Signal } from '@sluice/contracts';

const SOURCE_PRIORITY = [
  'jsonld:author',
  'meta:author',
  'meta:article:author',
  'meta:parsely-author',
  'meta:sailthru.author',
  'meta:byl',
  'meta:dc.creator',
  'meta:dcterms.creator',
  'meta:citation_author',
  'itemprop:author',
  'rel:author',
  'element:byline',
  'text:byline',
];

/** Words that show a byline segment is furniture, a role or an outlet rather than a person's name. */
const NOT_A_NAME =
  /\b(?:share|follow|comments?|subscribe|newsletter|read more|updated|published|posted|min read|staff|editor(?:ial)?|writer|reporter|correspondent|contributor|admin|administrator|team|desk|news ?room|redaktion|redacción|rédaction|agency|agencies|press|associated|reuters|afp|dpa|apa|getty|images?|photos?|video|copyright|all rights|home|menu|login|email|e-mail|twitter|facebook|instagram|linkedin|whatsapp)\b/i;

const LEADING_WORDS =
  /^(?:by|von|par|por|di|da|door|av|autor(?:in)?|author|text|texte|written by|posted by|reporting by|words by|veröffentlicht von|geschrieben von|publié par|publicado por|pubblicato da)\s*[:\-–]?\s+/i;
/** Labels glued to the name by markup ("AuthorAndreas Kalt"). */
const GLUED_LABEL = /^(?:Author|Autor|Autorin|By|Von|Par|Por)(?=\p{Lu})/u;

function cleanSegment(segment: string): string {
  return segment
    .replace(/https?:\/\/\S+/g, '')
    .replace(/\S+@\S+\.\S+/g, '')
    .replace(/\([^)]*\)/g, '')
    .replace(GLUED_LABEL, '')
    .replace(LEADING_WORDS, '')
    .replace(/^[\s,;:|·•\-–—]+|[\s,;:|·•\-–—.]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A plausible personal name: 2-5 words, each starting with a capital (particles allowed), no digits. */
export function isPersonName(candidate: string): boolean {
  if (candidate.length < 4 || candidate.length > 60 || /\d/.test(candidate) || NOT_A_NAME.test(candidate))
    return false;
  const words = candidate.split(' ');
  if (words.length < 2 || words.length > 5) return false;
  return words.every(
    (word) =>
      /^\p{Lu}/u.test(word) || /^(?:de|da|del|der|van|von|bin|al|el|la|le|di|du|ten|ter|y|e)$/.test(word),
  );
}

/** Splits a byline into names: "By Jane Roe and John Doe, Staff Writer | Reuters" → Jane Roe, John Doe. */
export function namesInByline(byline: string): string[] {
  const withoutTail = byline.split(/\s[|•·]\s|\s[-–—]\s(?=\p{L}+\s*$)/u)[0] ?? byline;
  return cleanSegment(withoutTail)
    .split(/\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\/)\s*/i)
    .map(cleanSegment)
    .filter(isPersonName);
}

const TEXT_BYLINE = [
  /^(?:[Bb]y|BY|[Vv]on|[Pp]ar|[Pp]or)[ \t]+(\p{Lu}[\p{L}'’.-]+(?:[ \t]+\p{Lu}[\p{L}'’.-]+){1,3})[ \t]*$/mu,
  /\b[\p{Lu}][\p{L}]+['’]s\s+(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){1,3})\s+reports?\s+from\b/u,
];

/** Bylines written into the text: a "By Jane Roe" line near the top, or "VOA's David Gollust reports from ...". */
function textBylines(text: string): string[] {
  const head = text.slice(0, 3000);
  const names: string[] = [];
  for (const pattern of TEXT_BYLINE) {
    const match = pattern.exec(head);
    if (match && isPersonName(match[1]!)) names.push(match[1]!);
  }
  return names;
}

/**
 * Authors from byline hints (strongest source that yields personal names) and, failing those, from
 * byline patterns in the text. `byline` is the authors as one display string.
 */
export function extractAuthors(input: { bylineHints?: readonly Signal[]; text?: string }): {
  byline: string | null;
  authors: string[];
} {
  const { byline, authors } = reconcileAuthors(input);
  return { byline, authors };
}

/** `extractAuthors` plus the hint source the authors came from (for benchmarks and debugging). */
export function reconcileAuthors(input: { bylineHints?: readonly Signal[]; text?: string }): {
  byline: string | null;
  authors: string[];
  source: string | null;
} {
  const hints = [...(input.bylineHints ?? [])];
  const rank = (source: string) => {
    const index = SOURCE_PRIORITY.indexOf(source);
    return index === -1 ? SOURCE_PRIORITY.length : index;
  };
  hints.sort((a, b) => rank(a.source) - rank(b.source));
  let authors: string[] = [];
  let from: string | null = null;
  for (const hint of hints) {
    if (from !== null && hint.source !== from) break;
    const names = namesInByline(hint.value);
    if (names.length === 0) continue;
    from = hint.source;
    for (const name of names) if (!authors.includes(name)) authors.push(name);
    // Page elements repeat bylines of comments and teasers: only the first one is the article's.
    if (hint.source.startsWith('element:') || hint.source.startsWith('rel:')) break;
  }
  if (authors.length === 0 && input.text) {
    authors = [...new Set(textBylines(input.text))];
    if (authors.length > 0) from = 'text:byline';
  }
  return { byline: authors.length > 0 ? authors.join(', ') : null, authors, source: from };
}
