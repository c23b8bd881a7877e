import type { Signal } from '@sluice/contracts';
import * as chrono from 'chrono-node';
import { type FoundDate, findDates, formatFoundDate, foundDateToEpoch } from './find-dates';
import { firstTextDates, isStampAt, MENTION_SOURCES } from './mentions';
import { findUrlDate, findUrlYearMonth } from './url-date';

export interface DateExtraction {
  publishedAt: string | null;
  modifiedAt: string | null;
  /**
   * Which signal gave publishedAt: a hint source (`jsonld:datePublished`, `url`...), `text`,
   * `chrono` or `feed:published`; when publishedAt is null, `none` or `mentions-only`.
   */
  publishedAtSource: string | null;
}

export interface DateInput {
  hints: readonly Signal[];
  text: string;
  url?: string | null;
  lang?: string | null;
  fetchedAt: string;
  /** The feed item's dates, when the document came from a feed. */
  feed?: FeedDates | null;
}

const EARLIEST = Date.UTC(1995, 0, 1);
const DAY = 86_400_000;
const TEXT_SCAN_CHARS = 20_000;
const CHRONO_SCAN_CHARS = 600;

/** A full date in the URL path is rarely wrong, so it outranks everything the page says about itself. */
const URL_RANK = 5;
const MODIFIED = /modif|updat|revis|lastmod|last-modified|edited/i;
const PUBLISHED_META = /publish|pub_?date|pubdate|issued|created|release|original|posted|dateline/i;

/**
 * Rank of a hint for the publication date (lower is stronger), or null if it names a modification.
 * Structured declarations beat page furniture; the URL beats loose element text.
 */
function publishedRank(source: string): number | null {
  if (source === 'text:dateline') return 15;
  if (MODIFIED.test(source)) return null;
  if (source === 'jsonld:datePublished') return 10;
  if (source.startsWith('jsonld:')) return 12;
  if (source.startsWith('meta:')) return PUBLISHED_META.test(source) ? 20 : 26;
  if (source.startsWith('itemprop:')) return 22;
  if (source.startsWith('time:pubdate')) return 30;
  if (source === 'url') return URL_RANK;
  if (source === 'element:published') return 40;
  if (source === 'time:datetime') return 42;
  if (source.startsWith('text:')) return 43;
  if (source === 'time:text') return 44;
  if (source.startsWith('script:')) return 46;
  if (source === 'page:text' || source === 'page:prose') return 60;
  if (source === 'text') return 70;
  if (source === 'chrono') return 90;
  return 50;
}

function modifiedRank(source: string): number | null {
  if (!MODIFIED.test(source)) return null;
  if (source.startsWith('jsonld:')) return 10;
  if (source.startsWith('meta:')) return 20;
  if (source.startsWith('itemprop:')) return 22;
  return 40;
}

/** US usage reads 03/04/2007 as March 4th; most of the world reads it as 3 April. */
function readsMonthFirst(lang: string | null | undefined, url: string | null | undefined): boolean {
  const tag = (lang ?? '').toLowerCase();
  if (tag === 'en-us' || tag === 'en_us') return true;
  if (tag.startsWith('en-') || (tag && !tag.startsWith('en'))) return false;
  if (url && /\.(?:uk|au|nz|ie|in|za)(?:[/:]|$)/i.test(url)) return false;
  return tag.startsWith('en');
}

function parseHintValue(value: string, monthFirst: boolean): FoundDate | null {
  const trimmed = value.trim();
  if (/^\d{10}(?:\d{3})?$/.test(trimmed)) {
    const ms = trimmed.length === 10 ? Number(trimmed) * 1000 : Number(trimmed);
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      offsetMinutes: 0,
      index: 0,
    };
  }
  return findDates(trimmed, { monthFirst, limit: 1 })[0] ?? null;
}

function isPlausible(date: FoundDate, fetchedMs: number): boolean {
  const epoch = foundDateToEpoch(date);
  // A date without a time or offset may legitimately be up to a day "ahead" of UTC.
  const slack = date.hour === null || date.offsetMinutes === null ? DAY : 60_000;
  return epoch >= EARLIEST && epoch <= fetchedMs + slack;
}

interface Candidate {
  date: FoundDate;
  source: string;
  rank: number;
}

function bestOf(candidates: Candidate[]): Candidate | null {
  let best: Candidate | null = null;
  for (const candidate of candidates) {
    if (!best || candidate.rank < best.rank) best = candidate;
    else if (
      best.source.startsWith('page:') &&
      candidate.rank === best.rank &&
      candidate.date.hour !== null &&
      best.date.hour === null
    ) {
      // Loose page text: a date stamped with a time is a timestamp; a bare one is often prose.
      best = candidate;
    } else if (candidate.rank === best.rank && candidate.date.hour !== null && best.date.hour === null) {
      // Same signal strength: prefer the one that also states the time, if it is the same day.
      if (formatFoundDate(candidate.date).slice(0, 10) === formatFoundDate(best.date).slice(0, 10))
        best = candidate;
    }
  }
  return best;
}

function chronoLocale(lang: string | null | undefined) {
  const code = (lang ?? 'en').slice(0, 2).toLowerCase();
  const locales: Record<string, { parse: typeof chrono.parse }> = {
    de: chrono.de,
    fr: chrono.fr,
    es: chrono.es,
    pt: chrono.pt,
    nl: chrono.nl,
    it: chrono.it,
    ru: chrono.ru,
    ja: chrono.ja,
    zh: chrono.zh,
    sv: chrono.sv,
  };
  return locales[code] ?? chrono.en;
}

/** Last resort: chrono-node over the start of the text, accepting only fully stated calendar dates. */
function chronoDate(text: string, lang: string | null | undefined, fetched: Date): FoundDate | null {
  if (!text) return null;
  let results: chrono.ParsedResult[];
  try {
    results = chronoLocale(lang).parse(text.slice(0, CHRONO_SCAN_CHARS), fetched, { forwardDate: false });
  } catch {
    return null;
  }
  for (const result of results) {
    const start = result.start;
    // chrono fills a missing year from the reference date; only a written year is evidence.
    if (!/\d{4}/.test(result.text)) continue;
    if (!start.isCertain('year') || !start.isCertain('month') || !start.isCertain('day')) continue;
    const hasTime = start.isCertain('hour');
    const offset = start.isCertain('timezoneOffset') ? (start.get('timezoneOffset') ?? null) : null;
    return {
      year: start.get('year')!,
      month: start.get('month')!,
      day: start.get('day')!,
      hour: hasTime ? start.get('hour')! : null,
      minute: hasTime ? (start.get('minute') ?? 0) : null,
      second: hasTime ? (start.get('second') ?? 0) : null,
      offsetMinutes: hasTime ? offset : null,
      index: result.index,
    };
  }
  return null;
}

/** A date-only line the cleaner dropped before the article's first paragraph. */
const DATE_LINE_SOURCE = 'text:date-line';

const HOUR = 3_600_000;
/** "3.1.2022 – 9.1.2022", "31. Dezember 2021-06. Januar 2022": a span of days, not a publication date. */
const RANGE =
  /[\d)]\s*(?:[–—~～-]|\bbis\b|\bto\b|\bau\b|\bal\b)\s*(?:\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}|\d{1,2}\.?\s+\p{L}{3,}|\p{L}{3,}\.?\s+\d{1,2}|\d{1,2}\s*日)/u;
/**
 * The opening of the main text when it is a dateline: an optional place or label ("Berlin,",
 * "BANGKOK:", "Erstellt am:") and a date, before any sentence starts.
 */
const DATELINE_PREFIX = /^[\p{L}\s.,:;()/|–—-]{0,30}$/u;
/** A date with an optional time and zone, at the start of a string. */
const DATE_AND_TIME =
  /^[^\s]+(?:\s+[^\s\d|/–—,(·•-]+)?(?:\s+\d{4})?(?:[,\s]+(?:um|at|à|a las|alle|o)?\s*\d{1,2}[:.h]\d{2}(?::\d{2})?\s*(?:Uhr|[ap]\.?m\.?|h)?(?:\s*[A-Z]{2,5})?)?/u;
/** "Updated", "mis à jour le", "aktualisiert am"...: the lead then names a revision. */
const UPDATE_LABEL = /updat|aktualisiert|geändert|mis à jour|modifi|actualiza|aggiornat|bijgewerkt|обновлен/i;

function leadDateline(text: string): string | null {
  const head = text.slice(0, 120).split('\n')[0] ?? '';
  const date = findDates(head, { limit: 1 })[0];
  if (!date || date.index > 40) return null;
  const prefix = head.slice(0, date.index);
  if (!DATELINE_PREFIX.test(prefix) || UPDATE_LABEL.test(prefix)) return null;
  const value = head.slice(date.index, date.index + 60);
  if (RANGE.test(value)) return null;
  // A dateline ends, or moves on to a separator, soon after the date; prose goes on ("Am 22. Oktober 2019 erscheint...").
  const rest = head.slice(date.index).replace(DATE_AND_TIME, '');
  return rest.length <= 30 || /^\s*[|/–—,(·•-]/.test(rest) ? value : null;
}
/** UTC offsets in use run from -12:00 to +14:00, in quarter hours. */
const MIN_OFFSET = -12 * HOUR;
const MAX_OFFSET = 14 * HOUR;
/** Sources a reader sees on the page (as opposed to machine-readable declarations). */
const VISIBLE =
  /^(?:itemprop:|time:(?:pubdate:)?text|element:(?:date|published)|page:(?:text|prose)|text:dateline)/;

const dayKey = (d: { year: number; month: number; day: number }) => d.year * 10_000 + d.month * 100 + d.day;

/**
 * A UTC instant ("...T23:15:00Z") names the UTC calendar day, which is not the day the page shows
 * its readers. When another signal on the page states the same instant in a local zone, or shows a
 * local day (or wall-clock time) that the instant falls on in some real zone, the local reading is
 * what the publisher meant; without such evidence the instant stays as it is.
 */
function localReading(best: Candidate, all: readonly Candidate[]): Candidate | null {
  const b = best.date;
  if (b.offsetMinutes !== 0 || b.hour === null) return null;
  const instant = foundDateToEpoch(b);
  const bDay = dayKey(b);
  let firstShownDay: Candidate | null = null;
  for (const other of all) {
    const o = other.date;
    if (other === best) continue;
    let same = false;
    if (o.hour !== null && o.offsetMinutes !== null) {
      // The same instant, written with its local offset.
      same = o.offsetMinutes !== 0 && Math.abs(foundDateToEpoch(o) - instant) <= 60_000;
    } else if (o.hour !== null && o.minute === b.minute && (o.second === 0 || o.second === b.second)) {
      // A wall-clock time that is the instant in some zone (same minute, quarter-hour offset).
      const shift = foundDateToEpoch(o) - instant;
      if (shift !== 0 && shift % (15 * 60_000) === 0 && shift >= MIN_OFFSET && shift <= MAX_OFFSET) {
        if (dayKey(o) === bDay) return null;
        return { ...other, date: { ...o, second: b.second, offsetMinutes: shift / 60_000 } };
      }
    } else if (o.hour === null && VISIBLE.test(other.source)) {
      firstShownDay ??= other;
    }
    if (same) return dayKey(o) === bDay ? null : other;
  }
  // "T23:00:00Z" is often a date-only value stored as local midnight east of Greenwich; the day
  // the page shows first tells which.
  if (firstShownDay && b.minute === 0 && (b.second ?? 0) === 0 && dayKey(firstShownDay.date) !== bDay) {
    const o = firstShownDay.date;
    const shift = Date.UTC(o.year, o.month - 1, o.day) - instant;
    if (shift > 0 && shift <= MAX_OFFSET) return firstShownDay;
  }
  return null;
}

/** Sources that are dates printed on the page for readers, in document order. */
const SHOWN = /^(?:itemprop:|time:(?:[a-z]+:)?text|element:|page:(?:text|prose)|text:dateline)/;
const DECLARED = /^(?:jsonld:|meta:)/;

/** Meta keys that say "date" without saying which one (`date`, `dc.date`, `dcterms.date`...). */
const GENERIC_META_RANK = 26;

/**
 * A declared (JSON-LD or meta) publication date that the page shows nowhere, while the first date
 * the page does show is another declared date (typically the modification date a CMS prints as
 * "the" date): readers, and archives, take the shown one. A generic `meta:date` that is shown
 * nowhere also yields to a first shown date up to a year earlier (such keys often hold the last change).
 */
function shownConfirmation(
  best: Candidate,
  shown: readonly Candidate[],
  declared: readonly Candidate[],
): Candidate | null {
  if (!DECLARED.test(best.source) || shown.length === 0) return null;
  const bestDay = dayKey(best.date);
  if (shown.some((c) => dayKey(c.date) === bestDay)) return null;
  const first = shown[0]!;
  const firstDay = dayKey(first.date);
  const match = declared.find((c) => DECLARED.test(c.source) && dayKey(c.date) === firstDay);
  if (match) return match;
  if (best.rank >= GENERIC_META_RANK) {
    const earlier = foundDateToEpoch(best.date) - foundDateToEpoch(first.date);
    if (earlier > 0 && earlier <= 366 * DAY) return first;
  }
  return null;
}

/** The feed item's own dates, when the document came from a feed: evidence from outside the page. */
export interface FeedDates {
  publishedAt?: string | null;
  updatedAt?: string | null;
}

/** Why publishedAt is null: no date anywhere, or only dates the text mentions, none of them supported. */
export const NO_DATE = 'none';
export const MENTIONS_ONLY = 'mentions-only';

/** Two readings of one publication: the same calendar day, or instants less than a zone apart. */
function sameDay(a: FoundDate, b: FoundDate): boolean {
  if (dayKey(a) === dayKey(b)) return true;
  return (
    a.hour !== null && b.hour !== null && Math.abs(foundDateToEpoch(a) - foundDateToEpoch(b)) <= 14 * HOUR
  );
}

/**
 * When the page's own publication candidates disagree on the day, the feed's date says which one
 * the publisher meant: the strongest candidate on the feed's day. Null when the page agrees with
 * itself, or nothing on it matches the feed.
 */
function feedArbitration(best: Candidate, published: readonly Candidate[], feed: FoundDate | null) {
  if (!feed || sameDay(best.date, feed)) return null;
  const strong = published.filter((c) => !MENTION_SOURCES.has(c.source) && c.rank < 50);
  if (!strong.some((c) => !sameDay(c.date, best.date))) return null;
  return bestOf(strong.filter((c) => sameDay(c.date, feed)));
}

function feedCandidate(
  feed: FeedDates | null | undefined,
  monthFirst: boolean,
  fetchedMs: number,
): Candidate | null {
  for (const [source, value] of [
    ['feed:published', feed?.publishedAt],
    ['feed:updated', feed?.updatedAt],
  ] as const) {
    const date = value ? parseHintValue(value, monthFirst) : null;
    if (date && isPlausible(date, fetchedMs)) return { date, source, rank: 80 };
  }
  return null;
}

/**
 * The publication (and modification) time from every signal: a ranked cascade over JSON-LD, meta
 * tags, itemprop, `<time>`, datelines, the URL and date-like elements, then dates that stamp the
 * text (a dateline, "Posted ..."), then the feed item's date, then the modification date. Dates
 * before 1995 or after the fetch time are discarded. The winner is then checked against what the
 * page shows: a UTC instant is read on the local day the page states for it, and a declared date
 * shown nowhere yields to the declared date the page does show; when the page contradicts itself,
 * the feed's date picks the reading. A date the page only mentions in a sentence (the time of
 * some event) counts only when the URL's month supports it; otherwise publishedAt is null and
 * publishedAtSource says why (`none`, `mentions-only`). Never throws.
 */
export function extractDates(input: DateInput): DateExtraction {
  const fetched = new Date(input.fetchedAt);
  const fetchedMs = Number.isNaN(fetched.getTime()) ? Date.now() : fetched.getTime();
  const monthFirst = readsMonthFirst(input.lang, input.url);
  const published: Candidate[] = [];
  const modified: Candidate[] = [];
  const shown: Candidate[] = [];
  const mentions: Candidate[] = [];
  // The cleaner lifts a date-only line before the first paragraph out of the text and keeps it
  // as a hint: it is the lead the text would have opened with.
  const dateLine = input.hints.find((h) => h.source === DATE_LINE_SOURCE);
  const hints = input.hints.filter((h) => h.source !== DATE_LINE_SOURCE);
  const lead = (dateLine ? leadDateline(dateLine.value) : null) ?? leadDateline(input.text);
  if (lead) hints.push({ source: 'text:lead', value: lead });
  if (input.url && !hints.some((h) => h.source === 'url')) hints.push({ source: 'url', value: input.url });
  for (const hint of hints) {
    // Page text quoted with its continuation: a span of days there names no publication.
    if (hint.source.startsWith('page:') && RANGE.test(hint.value)) continue;
    const date = hint.source === 'url' ? findUrlDate(hint.value) : parseHintValue(hint.value, monthFirst);
    if (!date || !isPlausible(date, fetchedMs)) continue;
    if (SHOWN.test(hint.source)) shown.push({ date, source: hint.source, rank: 0 });
    const pRank = publishedRank(hint.source);
    if (MENTION_SOURCES.has(hint.source)) {
      if (pRank !== null) mentions.push({ date, source: hint.source, rank: pRank });
      continue;
    }
    if (pRank !== null) published.push({ date, source: hint.source, rank: pRank });
    const mRank = modifiedRank(hint.source);
    if (mRank !== null) modified.push({ date, source: hint.source, rank: mRank });
  }
  // A year/month in the URL path vetoes published candidates from other months.
  const urlMonth = findUrlYearMonth(input.url);
  const inUrlMonth = (c: Candidate) => c.date.year === urlMonth?.year && c.date.month === urlMonth?.month;
  const agreeing = urlMonth ? published.filter(inUrlMonth) : published;
  let best = bestOf(agreeing.length > 0 ? agreeing : published);
  if (best) {
    const local = localReading(best, published);
    if (local) best = { ...local, source: best.source };
  }
  if (best) {
    const confirmed = shownConfirmation(best, shown, [...published, ...modified]);
    if (confirmed) best = confirmed;
  }
  if (best && best.rank >= GENERIC_META_RANK && DECLARED.test(best.source)) {
    // A meta key that says "date" without saying which loses to the dateline printed over the article.
    const dateline = published.find((c) => c.source === 'text:lead');
    if (dateline && dayKey(dateline.date) !== dayKey(best.date)) best = dateline;
  }
  const feed = feedCandidate(input.feed, monthFirst, fetchedMs);
  if (best) best = feedArbitration(best, published, feed?.date ?? null) ?? best;
  const plausible = (d: FoundDate) => isPlausible(d, fetchedMs);
  const inText = best
    ? null
    : firstTextDates(input.text.slice(0, TEXT_SCAN_CHARS), { monthFirst, plausible });
  if (!best && inText?.stamp) best = { date: inText.stamp, source: 'text', rank: 70 };
  if (inText?.mention) mentions.push({ date: inText.mention, source: 'text', rank: 70 });
  // The feed's publication time outranks the page's modification time, which is no publication claim.
  if (!best && feed) best = feed;
  const bestModified = bestOf(modified);
  if (!best && bestModified) best = { ...bestModified, source: bestModified.source };
  if (!best) {
    const parsed = chronoDate(input.text, input.lang, new Date(fetchedMs));
    if (parsed && plausible(parsed)) {
      const chrono = { date: parsed, source: 'chrono', rank: 90 };
      if (isStampAt(input.text, parsed.index)) best = chrono;
      else mentions.push(chrono);
    }
  }
  // A date the text mentions is the time of some event, not of the document, unless the URL's
  // month (a publishing signal) says the document appeared then.
  if (!best && urlMonth) best = bestOf(mentions.filter(inUrlMonth));
  return {
    publishedAt: best ? formatFoundDate(best.date) : null,
    publishedAtSource: best?.source ?? (mentions.length > 0 ? MENTIONS_ONLY : NO_DATE),
    modifiedAt: bestModified ? formatFoundDate(bestModified.date) : null,
  };
}
