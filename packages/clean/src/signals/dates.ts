import type { Signal } from '@sluice/contracts';
import { articleObjects, scriptPrefix } from './json-ld';
import { boundedText, type PageScan } from './scan';
import { pushSignal, squish } from './text';

const MAX_DATE_HINTS = 40;
const MAX_ELEMENT_HINTS = 12;

/** Meta keys that name a date: publication, creation, modification, issue. */
const DATE_META_KEY = /date|time|publish|created|modified|updated|issued|pubdate|lastmod|revised/;
/** Meta keys that mention a date-ish word but carry no date. */
const NON_DATE_META_KEY = /timezone|format|refresh|time_to_read|readingtime|reading-time|duration|expires/;

const JSONLD_DATE_KEYS = ['datePublished', 'dateCreated', 'uploadDate', 'dateModified'] as const;

function elementLabel(classAndId: string): string {
  if (/modif|updat|revis|aktualisiert/i.test(classAndId)) return 'element:modified';
  if (/publish|posted|created|entry-date|pubdate/i.test(classAndId)) return 'element:published';
  return 'element:date';
}

/**
 * Publication-time hints from the raw page: JSON-LD, every date-like meta tag, itemprop,
 * `<time>`, elements whose class/id says date, and the URL. Sources are labelled so the extractor
 * can rank them (`jsonld:datePublished`, `meta:article:published_time`, `time:datetime`, `url`...).
 */
export function collectDateHints(
  scan: PageScan,
  meta: Record<string, string>,
  jsonLd: Record<string, unknown>[],
  url: string | null | undefined,
): Signal[] {
  const hints: Signal[] = [];
  for (const object of articleObjects(jsonLd)) {
    for (const key of JSONLD_DATE_KEYS) {
      const value = object[key];
      if (typeof value === 'string') pushSignal(hints, `jsonld:${key}`, value);
    }
  }
  for (const [key, value] of Object.entries(meta)) {
    if (DATE_META_KEY.test(key) && !NON_DATE_META_KEY.test(key) && /\d/.test(value)) {
      pushSignal(hints, `meta:${key}`, value);
    }
  }
  for (const el of scan.itempropDates) {
    const value = el.attribs.content ?? el.attribs.datetime ?? boundedText(el, 300);
    pushSignal(hints, `itemprop:${el.attribs.itemprop}`, value);
  }
  for (const el of scan.times) {
    const parentClass = el.parent && 'attribs' in el.parent ? (el.parent.attribs.class ?? '') : '';
    const classAndId = `${el.attribs.class ?? ''} ${el.attribs.id ?? ''} ${parentClass}`;
    const modified = /modif|updat|revis/i.test(classAndId);
    const datetime = el.attribs.datetime;
    const pubdate = el.attribs.pubdate !== undefined || /publish|entry-date|posted/i.test(classAndId);
    const label = modified ? 'time:modified' : pubdate ? 'time:pubdate' : 'time';
    if (datetime) pushSignal(hints, `${label}:datetime`, datetime);
    pushSignal(hints, `${label}:text`, boundedText(el, 120), 120);
  }
  let elements = 0;
  for (const el of scan.dateElements) {
    if (elements >= MAX_ELEMENT_HINTS) break;
    const classAndId = `${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`;
    if (/timeline|timer|runtime|update-?time|datepicker|(?:^|\s|-)time-?zone/i.test(classAndId)) continue;
    const title = el.attribs.title;
    const value = title && /\d/.test(title) ? squish(title) : boundedText(el, 160);
    if (!value || !/\d/.test(value) || value.length > 160) continue;
    pushSignal(hints, elementLabel(classAndId), value, 160);
    elements++;
  }
  collectScriptDates(scan, hints);
  collectPageTextDates(scan, hints);
  if (url) pushSignal(hints, 'url', url, 2000);
  return hints.slice(0, MAX_DATE_HINTS);
}

/** `"datePublished": "..."`-style keys inside inline scripts (app state, analytics objects). */
const SCRIPT_DATE =
  /["']?(datePublished|date_published|publish(?:ed)?_?(?:date|at|time|on)|pubDate|created_?at|dateCreated|first_?published_?(?:at|date)?)["']?\s*[:=]\s*["']([^"']{8,40})["']/gi;
const MAX_SCRIPT_HINTS = 3;
const MAX_SCRIPT_CHARS = 200_000;

function collectScriptDates(scan: PageScan, hints: Signal[]): void {
  let found = 0;
  let scanned = 0;
  for (const el of scan.inlineScripts) {
    if (found >= MAX_SCRIPT_HINTS || scanned > MAX_SCRIPT_CHARS) break;
    const code = scriptPrefix(el, MAX_SCRIPT_CHARS - scanned + 1);
    scanned += code.length;
    SCRIPT_DATE.lastIndex = 0;
    for (let m = SCRIPT_DATE.exec(code); m && found < MAX_SCRIPT_HINTS; m = SCRIPT_DATE.exec(code)) {
      if (!/\d{4}/.test(m[2]!)) continue;
      pushSignal(hints, `script:${m[1]!.toLowerCase()}`, m[2]);
      found++;
    }
  }
}

/**
 * Date-looking snippets in the page's visible text, in document order, so that a date that sits in
 * page furniture (which the cleaner removes) still reaches the extractor. Numeric d.m.y / y-m-d forms
 * and "12 March 2019" / "March 12, 2019" / "24 نيسان / أبريل 2020" forms (any script) plus up to 30
 * characters of following time. As one pattern:
 *
 *   (?<![\p{L}\p{N}])(?:\d{1,2}[./-]\s?\d{1,2}[./-]\s?\d{4} | \d{4}[./-]\d{1,2}[./-]\d{1,2}
 *     | \d{1,2}(?:st|nd|rd|th|\.)?\s*(?:de\s+)?\p{L}{3,12}\.?(?:\s?\/\s?\p{L}{3,12})?,?\s*(?:de\s+)?\d{4}
 *     | \p{L}{3,12}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4} | \d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)(?![\p{N}])[^\n]{0,30}
 *
 * That pattern tried at every position of 60k characters costs more than the rest of the signals;
 * it is split in two with the same matches: the forms that open with a digit (a search that skips
 * to digits), and the month-first form, tried only where a word, an optional dot and whitespace
 * end right before a digit (the one place such a match can start).
 */
const DIGIT_FIRST_DATE =
  /\d(?<![\p{L}\p{N}]\d)(?:\d?[./-]\s?\d{1,2}[./-]\s?\d{4}|\d{3}[./-]\d{1,2}[./-]\d{1,2}|\d?(?:st|nd|rd|th|\.)?\s*(?:de\s+)?\p{L}{3,12}\.?(?:\s?\/\s?\p{L}{3,12})?,?\s*(?:de\s+)?\d{4}|\d{3}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)(?![\p{N}])[^\n]{0,30}/gu;
const WORD_FIRST_DATE =
  /(?<![\p{L}\p{N}])\p{L}{3,12}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}(?![\p{N}])[^\n]{0,30}/uy;
const SPACE_DIGIT = /\s\d/g;
const SPACE = /\s/;
const LETTER = /\p{L}/u;
const MAX_PAGE_TEXT_HINTS = 4;

/** The first month-first date ("March 12, 2019") starting at or after `from`. */
function nextWordFirstDate(text: string, from: number): RegExpExecArray | null {
  SPACE_DIGIT.lastIndex = from;
  for (let m = SPACE_DIGIT.exec(text); m; m = SPACE_DIGIT.exec(text)) {
    // Back from the digit over the whitespace, an optional dot and the word: where the match must start.
    let start = m.index;
    while (start > 0 && SPACE.test(text[start - 1] as string)) start--;
    if (start > 0 && text[start - 1] === '.') start--;
    const wordEnd = start;
    while (start > 0 && wordEnd - start <= 12 && LETTER.test(text[start - 1] as string)) start--;
    const letters = wordEnd - start;
    if (letters < 3 || letters > 12 || start < from) continue;
    WORD_FIRST_DATE.lastIndex = start;
    const found = WORD_FIRST_DATE.exec(text);
    if (found) return found;
  }
  return null;
}

/**
 * A text node at least this long, in which a word comes before the date, is a sentence that
 * mentions the date (`page:prose`: "The towers fell on September 11, 2001, killing..."), not a
 * stamp over the article (`page:text`), unless a publishing label introduces the date.
 */
const PROSE_NODE_CHARS = 100;
const PROSE_LEAD_CHARS = 3;
const PUBLISHING_LABEL =
  /(?:posted|published|updated|dated?|veröffentlicht|erstellt|aktualisiert|publié|publicado|pubblicato|gepubliceerd)\b[^.!?]{0,30}$/iu;

/** Whether the date at `index` sits inside a sentence of its text node rather than stamping it. */
function inProse(text: string, index: number): boolean {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  const endAt = text.indexOf('\n', index);
  const end = endAt === -1 ? text.length : endAt;
  if (end - start < PROSE_NODE_CHARS || index - start < PROSE_LEAD_CHARS) return false;
  return !PUBLISHING_LABEL.test(text.slice(start, index));
}

function collectPageTextDates(scan: PageScan, hints: Signal[]): void {
  const text = scan.digitTexts.map(squish).join('\n');
  let from = 0;
  let digitFirst: RegExpExecArray | null = null;
  let wordFirst: RegExpExecArray | null = null;
  let digitDone = false;
  let wordDone = false;
  for (let found = 0; found < MAX_PAGE_TEXT_HINTS; found++) {
    if (!digitDone && (digitFirst === null || digitFirst.index < from)) {
      DIGIT_FIRST_DATE.lastIndex = from;
      digitFirst = DIGIT_FIRST_DATE.exec(text);
      digitDone = digitFirst === null;
    }
    if (!wordDone && (wordFirst === null || wordFirst.index < from)) {
      wordFirst = nextWordFirstDate(text, from);
      wordDone = wordFirst === null;
    }
    const match = digitFirst && (!wordFirst || digitFirst.index <= wordFirst.index) ? digitFirst : wordFirst;
    if (!match) break;
    pushSignal(hints, inProse(text, match.index) ? 'page:prose' : 'page:text', match[0], 80);
    from = match.index + match[0].length;
  }
}
