import type { Signal } from '@sluice/contracts';
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { articleObjects } from './json-ld';
import { pushSignal, squish } from './text';

const MAX_DATE_HINTS = 40;
const MAX_ELEMENT_HINTS = 12;

/** Meta keys that name a date: publication, creation, modification, issue. */
const DATE_META_KEY = /date|time|publish|created|modified|updated|issued|pubdate|lastmod|revised/;
/** Meta keys that mention a date-ish word but carry no date. */
const NON_DATE_META_KEY = /timezone|format|refresh|time_to_read|readingtime|reading-time|duration|expires/;

const JSONLD_DATE_KEYS = ['datePublished', 'dateCreated', 'uploadDate', 'dateModified'] as const;

/** Elements whose class or id says they hold a date. */
const DATE_ELEMENT_SELECTOR = [
  '[class*="date" i]',
  '[id*="date" i]',
  '[class*="publish" i]',
  '[class*="posted" i]',
  '[class*="time" i]',
  '[id*="time" i]',
  '[class*="datum" i]',
  '[class*="fecha" i]',
  '[class*="byline" i]',
  '[class*="dateline" i]',
  'abbr.published',
].join(',');

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
  $: CheerioAPI,
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
  $('[itemprop="datePublished"],[itemprop="dateCreated"],[itemprop="dateModified"]').each((_, el) => {
    if (el.tagName === 'meta') return;
    const $el = $(el);
    const value = $el.attr('content') ?? $el.attr('datetime') ?? squish($el.text());
    pushSignal(hints, `itemprop:${$el.attr('itemprop')}`, value);
  });
  let times = 0;
  $('time').each((_, el) => {
    if (times++ >= MAX_ELEMENT_HINTS) return false;
    const $el = $(el);
    const classAndId = `${$el.attr('class') ?? ''} ${$el.attr('id') ?? ''} ${$el.parent().attr('class') ?? ''}`;
    const modified = /modif|updat|revis/i.test(classAndId);
    const datetime = $el.attr('datetime');
    const pubdate = $el.attr('pubdate') !== undefined || /publish|entry-date|posted/i.test(classAndId);
    const label = modified ? 'time:modified' : pubdate ? 'time:pubdate' : 'time';
    if (datetime) pushSignal(hints, `${label}:datetime`, datetime);
    pushSignal(hints, `${label}:text`, $el.text(), 120);
  });
  let elements = 0;
  $(DATE_ELEMENT_SELECTOR).each((_, el) => {
    if (elements >= MAX_ELEMENT_HINTS) return false;
    const tag = (el as Element).tagName;
    if (tag === 'time' || tag === 'meta' || tag === 'body' || tag === 'html') return;
    const $el = $(el);
    const classAndId = `${$el.attr('class') ?? ''} ${$el.attr('id') ?? ''}`;
    if (/timeline|timer|runtime|update-?time|datepicker|(?:^|\s|-)time-?zone/i.test(classAndId)) return;
    const title = $el.attr('title');
    const text = squish($el.text());
    const value = title && /\d/.test(title) ? title : text;
    if (!/\d/.test(value) || value.length > 160) return;
    pushSignal(hints, elementLabel(classAndId), value, 160);
    elements++;
  });
  collectScriptDates($, hints);
  collectPageTextDates($, hints);
  if (url) pushSignal(hints, 'url', url, 2000);
  return hints.slice(0, MAX_DATE_HINTS);
}

/** `"datePublished": "..."`-style keys inside inline scripts (app state, analytics objects). */
const SCRIPT_DATE =
  /["']?(datePublished|date_published|publish(?:ed)?_?(?:date|at|time|on)|pubDate|created_?at|dateCreated|first_?published_?(?:at|date)?)["']?\s*[:=]\s*["']([^"']{8,40})["']/gi;
const MAX_SCRIPT_HINTS = 3;
const MAX_SCRIPT_CHARS = 200_000;

function collectScriptDates($: CheerioAPI, hints: Signal[]): void {
  let found = 0;
  let scanned = 0;
  $('script:not([src])').each((_, el) => {
    if (found >= MAX_SCRIPT_HINTS || scanned > MAX_SCRIPT_CHARS) return false;
    const type = (el as Element).attribs.type;
    if (type && /ld\+json/i.test(type)) return;
    const code = $(el).text();
    scanned += code.length;
    SCRIPT_DATE.lastIndex = 0;
    for (let m = SCRIPT_DATE.exec(code); m && found < MAX_SCRIPT_HINTS; m = SCRIPT_DATE.exec(code)) {
      if (!/\d{4}/.test(m[2]!)) continue;
      pushSignal(hints, `script:${m[1]!.toLowerCase()}`, m[2]);
      found++;
    }
  });
}

/**
 * Date-looking snippets in the page's visible text, in document order, so that a date that sits in
 * page furniture (which the cleaner removes) still reaches the extractor. Numeric d.m.y / y-m-d forms
 * and "12 March 2019" / "March 12, 2019" forms (any script) plus up to 30 characters of following time.
 */
const PAGE_DATE =
  /(?<![\p{L}\p{N}])(?:\d{1,2}[./-]\s?\d{1,2}[./-]\s?\d{4}|\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}(?:st|nd|rd|th|\.)?\s*(?:de\s+)?\p{L}{3,12}\.?,?\s*(?:de\s+)?\d{4}|\p{L}{3,12}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)(?![\p{N}])[^\n]{0,30}/gu;
const MAX_PAGE_TEXT_HINTS = 4;
const MAX_PAGE_TEXT_CHARS = 60_000;

function collectPageTextDates($: CheerioAPI, hints: Signal[]): void {
  const body = $('body').first();
  if (body.length === 0) return;
  const parts: string[] = [];
  let length = 0;
  const walk = (nodes: ReturnType<typeof body.contents>) => {
    nodes.each((_, node) => {
      if (length > MAX_PAGE_TEXT_CHARS) return false;
      if (node.type === 'text') {
        const text = (node as unknown as { data: string }).data;
        if (/\d/.test(text)) {
          parts.push(text);
          length += text.length;
        }
      } else if (node.type === 'tag') {
        const tag = (node as Element).tagName;
        if (tag !== 'script' && tag !== 'style' && tag !== 'noscript' && tag !== 'template')
          walk($(node).contents());
      }
    });
  };
  walk(body.contents());
  const text = parts.map(squish).join('\n');
  let found = 0;
  PAGE_DATE.lastIndex = 0;
  for (let m = PAGE_DATE.exec(text); m && found < MAX_PAGE_TEXT_HINTS; m = PAGE_DATE.exec(text)) {
    pushSignal(hints, 'page:text', m[0], 80);
    found++;
  }
}
