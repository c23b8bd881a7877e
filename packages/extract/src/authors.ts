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
  /\b(?:share|follow|comments?|subscribe|newsletter|read more|updated|published|posted|min read|staff|editor(?:ial)?|writer|reporter|correspondent|contributor|admin|administrator|team|desk|news ?room|redaktion|redacción|rédaction|agency|agencies|press|associated|reuters|afp|dpa|apa|getty|images?|photos?|video|copyright|all rights|home|menu|login|email|e-mail|twitter|facebook|instagram|linkedin|whatsapp|news|online|magazin|magazine|gmbh|verlag|unknown|anonymous|anonym|guest|gast|visitor|user|department|departement|ministerium|ministry|abteilung|university|universität|institut|support|service|sagt|says|name)\b/i;

/** A segment that is an outlet rather than a person ("CBS News", "Die Furche", "ZooRoyal GmbH"). */
const ORGANISATION_WORDS =
  /\b(?:news|online|magazin|magazine|gmbh|ag|verlag|team|redaktion|agency|press|department|departement|ministerium|ministry|university|universität|institut|times|post|zeitung|tribune|journal|media|medien|group|verband|bundesverband|verein|fraktion|stiftung|foundation|e\.\s?v)\b|^(?:die|das|der|the)\s/i;

/** News agencies named as the byline ("By Reuters", "AFP"). */
const NEWS_AGENCY =
  /^(?:reuters|afp|ap|dpa|apa|ansa|efe|kyodo|xinhua|tass|ria novosti|associated press|agence france-presse)(?:\s*[/,]\s*\p{L}+)*$/iu;

/** Label words before "by"/"von" that introduce a byline ("Post author By", "Eingestellt von"). */
const LABEL_WORDS =
  '(?:post(?:ed)?|author|written|story|article|text|words|report(?:ed|ing)?|eingestellt|erstellt|veröffentlicht|publiziert|geschrieben|verfasst|beitrag|artikel|autor(?:in)?|publié|écrit|publicado|escrito|pubblicato|scritto)';
const LEADING_WORDS = new RegExp(
  `^(?:(?:${LABEL_WORDS}\\s*){0,2}(?:by|von|vom|par|por|di|da|door|av)\\b\\s*[:\\-–]?\\s*|${LABEL_WORDS}\\s*[:\\-–]\\s*|interview\\s*:\\s*)`,
  'iu',
);
/** A label glued to the name by markup ("AuthorAndreas Kalt", "Beitragvon r23"). */
const GLUED_LABEL = /^(?:Author|Autor|Autorin|By|Von|Par|Por|Beitragvon)(?=\p{Lu}|\s)/u;
/** A date or time trailing the name ("von lupa am 26/10/13", "Von Tomas Spahn Fr, 18. Oktober 2019"). */
const TRAILING_DATE =
  /(?:\s+(?:am|on|le|el|il|op|at|um|den))?(?:\s+(?:mo|di|mi|do|fr|sa|so|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,)?\s+\d[\s\S]*$/iu;
/** A commenter's heading ("Peter sagt:", "Jane says:"): not the article's byline. */
const COMMENT_HEADING =
  /\b(?:sagt|says|said|schreibt|writes|meint|antwortete|replied|commented|dit|dice)\s*:/i;
/** Single words that fill a byline slot without naming anyone. */
const NOT_A_HANDLE =
  /^(?:by|von|par|por|name|autor|author|admin|root|webmaster|anonymous|anonym|unknown|guest|gast|visitor|redaktion|editor|staff|team|more|posts|and|und|et|mehr)$/i;

function cleanSegment(segment: string): string {
  return segment
    .replace(/https?:\/\/\S+/g, '')
    .replace(/\S+@\S+\.\S+/g, '')
    .replace(/\([^)]*\)/g, '')
    .replace(GLUED_LABEL, '')
    .replace(/^\s+/, '')
    .replace(LEADING_WORDS, '')
    .replace(TRAILING_DATE, '')
    .replace(/^[\s,;:|·•\-–—]+|[\s,;:|·•\-–—]+$/g, '')
    .replace(/(?<!\b(?:\p{Lu}|Jr|Sr))\.+$/u, '')
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

/** A one-word name or user handle ("Creeny", "gnaddrig"), accepted where the source says it is the author. */
function isHandle(candidate: string): boolean {
  return (
    /^[\p{L}][\p{L}\p{N}_.'’-]{1,29}$/u.test(candidate) &&
    !NOT_A_HANDLE.test(candidate) &&
    !NOT_A_NAME.test(candidate)
  );
}

/** Whether a byline labels its name ("By X", "von X", "Autor: X"), so a lone word there is a name. */
function isLabelled(byline: string): boolean {
  return LEADING_WORDS.test(byline.trim().replace(GLUED_LABEL, '$& ').replace(/^\s+/, ''));
}

/** Splits a byline into the segments that may be names, cleaned of labels, dates, roles and links. */
function segmentsOf(byline: string): string[] {
  const withoutTail = byline.split(/\s[|•·]\s|\s[-–—]\s(?=\p{L}+\s*$)/u)[0] ?? byline;
  return cleanSegment(withoutTail)
    .split(/\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\/)\s*/i)
    .map(cleanSegment)
    .filter(Boolean);
}

/** Splits a byline into names: "By Jane Roe and John Doe, Staff Writer | Reuters" → Jane Roe, John Doe. */
export function namesInByline(byline: string, options: { handles?: boolean } = {}): string[] {
  if (COMMENT_HEADING.test(byline)) return [];
  const segments = segmentsOf(byline);
  const handles = options.handles === true || (segments.length === 1 && isLabelled(byline));
  return segments.filter((s) => isPersonName(s) || (handles && segments.length === 1 && isHandle(s)));
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

export interface AuthorInput {
  bylineHints?: readonly Signal[];
  text?: string;
  /** The site's name and the page's URL: an author that is the site itself is an outlet, not a person. */
  siteName?: string | null;
  url?: string | null;
}

const comparable = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * An outlet rather than a person: outlet words ("CBS News", "Die Furche", "ZooRoyal GmbH"), a domain
 * name ("kath.net"), the site's own name, or the name the page's domain spells ("Automobilwoche" on
 * automobilwoche.de). A blog's subdomain on a hosting platform is its author's handle, not an outlet.
 */
function outletTest(input: AuthorInput): (name: string) => boolean {
  const site = comparable(input.siteName ?? '');
  let domain = '';
  try {
    const labels = input.url ? new URL(input.url).hostname.toLowerCase().split('.') : [];
    domain = labels.length >= 2 ? comparable(labels[labels.length - 2]!) : '';
  } catch {
    domain = '';
  }
  return (name: string) => {
    const key = comparable(name);
    return (
      ORGANISATION_WORDS.test(name) ||
      /\.\p{L}{2,6}$/u.test(name) ||
      (site.length > 3 && key === site) ||
      (domain.length > 3 && key === domain)
    );
  };
}

/** Sources whose hints name the author by definition, so one word there is a name or handle. */
const AUTHOR_FIELD = /^(?:jsonld:|meta:|rel:|itemprop:|feed:)/;

/**
 * Authors from byline hints (strongest source that yields names) and, failing those, from byline
 * patterns in the text. Names are split ("By A and B", "A, B and C") and cleaned of labels, roles,
 * dates, links and handles' furniture. `authors` lists people only: an outlet given as the author
 * ("By Reuters", JSON-LD author "CBS News", the site's own name) leaves `authors` empty and becomes
 * the `byline` when no person is named anywhere.
 */
export function extractAuthors(input: AuthorInput): {
  byline: string | null;
  authors: string[];
} {
  const { byline, authors } = reconcileAuthors(input);
  return { byline, authors };
}

/** `extractAuthors` plus the hint source the authors came from (for benchmarks and debugging). */
export function reconcileAuthors(input: AuthorInput): {
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
  const isOutlet = outletTest(input);
  let authors: string[] = [];
  let from: string | null = null;
  let outlet: string | null = null;
  for (const hint of hints) {
    if (from !== null && hint.source !== from) break;
    const found = namesInByline(hint.value, { handles: AUTHOR_FIELD.test(hint.source) });
    // An outlet's long name split at its commas ("Federal Department of Economy, Education and
    // Research") leaves name-like pieces: an outlet opening the hint owns it.
    const opening = segmentsOf(hint.value)[0] ?? '';
    const ownedByOutlet = opening.includes(' ') && !found.includes(opening) && isOutlet(opening);
    const names = ownedByOutlet ? [] : found.filter((name) => !isOutlet(name));
    if (names.length === 0) {
      if (ownedByOutlet && outlet === null) outlet = cleanSegment(hint.value).slice(0, 120);
      else if (found.length > 0 && outlet === null) outlet = found[0]!;
      else if (outlet === null) {
        const whole = cleanSegment(hint.value);
        if (whole && whole.length <= 40 && (isOutlet(whole) || NEWS_AGENCY.test(whole))) outlet = whole;
      }
      continue;
    }
    from = hint.source;
    for (const name of names) if (!authors.includes(name)) authors.push(name);
    // Page elements repeat bylines of comments and teasers: only the first one is the article's.
    if (/^(?:element|rel|itemprop):/.test(hint.source)) break;
  }
  if (authors.length === 0 && input.text) {
    authors = [...new Set(textBylines(input.text))];
    if (authors.length > 0) from = 'text:byline';
  }
  const byline = authors.length > 0 ? authors.join(', ') : outlet;
  return { byline, authors, source: from };
}
