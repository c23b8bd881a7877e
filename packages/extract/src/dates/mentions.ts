import { type FoundDate, findDates } from './find-dates';

/**
 * Sources whose date is one the page mentions rather than one it is stamped with: a date inside a
 * sentence of the page (`page:prose`), a date found anywhere in the main text (`text`), or one
 * chrono-node read there (`chrono`). "The towers fell on September 11, 2001" is the time of an
 * event; it becomes a publication date only when a publishing signal names the same day.
 */
export const MENTION_SOURCES: ReadonlySet<string> = new Set(['page:prose', 'text', 'chrono']);

/** Words that label a date as the document's own ("Posted", "Veröffentlicht am", "Publié le"...). */
const PUBLISHING_LABEL =
  /(?:^|[\s|(])(?:posted|published|publication|updated|dated?|filed|veröffentlicht|erstellt|stand|publié|publiée|publicado|publicada|pubblicato|gepubliceerd|opublikowano)\b[^.!?]{0,30}$/iu;
/** A dateline is short... */
const STAMP_LINE_CHARS = 80;
/** ...and holds hardly any lower-case words: prose does ("It happened on Friday, 5 March 2021"). */
const MAX_STAMP_PROSE_WORDS = 2;
const PROSE_WORD = /(?<![\p{L}\p{N}])\p{Ll}{3,}(?![\p{L}\p{N}])/gu;

/** The line of `text` that holds `index`, and where in it the index falls. */
function lineAt(text: string, index: number): { line: string; offset: number } {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  const endAt = text.indexOf('\n', index);
  const line = text.slice(start, endAt === -1 ? text.length : endAt);
  return { line, offset: index - start };
}

/**
 * Whether the date at `index` of the main text stamps the document (it stands on a short line with
 * next to no prose, or a publishing label introduces it) rather than being mentioned in a sentence.
 */
export function isStampAt(text: string, index: number): boolean {
  const { line, offset } = lineAt(text, index);
  const proseWords = line.match(PROSE_WORD)?.length ?? 0;
  if (line.trim().length <= STAMP_LINE_CHARS && proseWords <= MAX_STAMP_PROSE_WORDS) return true;
  return PUBLISHING_LABEL.test(line.slice(0, offset));
}

/** The first plausible date of the text that stamps it (see `isStampAt`), and the first of any kind. */
export function firstTextDates(
  text: string,
  options: { monthFirst: boolean; plausible: (date: FoundDate) => boolean },
): { stamp: FoundDate | null; mention: FoundDate | null } {
  const dates = findDates(text, { monthFirst: options.monthFirst, limit: 20 }).filter(options.plausible);
  return { stamp: dates.find((date) => isStampAt(text, date.index)) ?? null, mention: dates[0] ?? null };
}
