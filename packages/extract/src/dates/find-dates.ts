import { MONTH_PATTERN, MONTHS } from './months';
import { TIME_ZONE_OFFSETS, TIME_ZONE_PATTERN } from './time-zones';

/** A calendar date found in text, with the time and UTC offset when the text gives them. */
export interface FoundDate {
  year: number;
  month: number;
  day: number;
  hour: number | null;
  minute: number | null;
  second: number | null;
  /** Minutes east of UTC; null when the source states none. */
  offsetMinutes: number | null;
  /** Where the match starts in the searched text. */
  index: number;
}

export interface FindDatesOptions {
  /** Read ambiguous numeric dates as month/day/year (US usage) rather than day/month/year. */
  monthFirst?: boolean;
  /** Stop after this many dates. */
  limit?: number;
}

const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';
const M = `(${MONTH_PATTERN})`;
/** A second name for the same month (Arabic news writes "نيسان / أبريل"). */
const M2 = `(?:${MONTH_PATTERN})`;
const WEEKDAY_SKIP = '';

const PATTERNS: { kind: string; re: RegExp }[] = [
  {
    kind: 'iso',
    re: new RegExp(
      `${B}(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:[T ](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,]\\d+)?)?\\s*(Z|[+-]\\d{2}(?::?\\d{2})?|(?:${TIME_ZONE_PATTERN})${E})?)?(?![\\p{N}])`,
      'gu',
    ),
  },
  { kind: 'ymd', re: new RegExp(`${B}(\\d{4})[/.](\\d{1,2})[/.](\\d{1,2})${E}`, 'gu') },
  { kind: 'cjk', re: /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/gu },
  { kind: 'korean', re: /(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일/gu },
  { kind: 'numeric', re: new RegExp(`${B}(\\d{1,2})([./-])\\s?(\\d{1,2})\\2\\s?(\\d{4}|\\d{2})${E}`, 'gu') },
  {
    kind: 'day-month',
    re: new RegExp(
      `${B}(\\d{1,2})(?:st|nd|rd|th|er|º|°)?\\.?\\s*(?:de\\s+|of\\s+)?${M}\\.?(?:\\s?/\\s?${M2})?,?\\s*(?:de\\s+|del\\s+)?(?:[''’](\\d{2})|(\\d{4}))${E}`,
      'giu',
    ),
  },
  {
    kind: 'month-day',
    re: new RegExp(`${B}${M}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\.?,?\\s+(\\d{4})${E}`, 'giu'),
  },
];
void WEEKDAY_SKIP;

const TIME_AFTER = new RegExp(
  `^[\\s,|–—-]{0,4}(?:at|um|à|a las|alle|às|om|kl\\.?|o)?\\s*(?:-\\s*)?(\\d{1,2})[:.h](\\d{2})(?::(\\d{2}))?\\s*(a\\.?m\\.?|p\\.?m\\.?)?\\s*(?:Uhr|h)?\\s*(?:\\(?(${TIME_ZONE_PATTERN})\\)?${E}|(?:UTC|GMT)?\\s?([+-]\\d{1,2}(?::?\\d{2})?)${E})?`,
  'iu',
);

function toYear(text: string): number {
  const value = Number(text);
  if (text.length === 2) return value + (value > 69 ? 1900 : 2000);
  return value;
}

function isValidDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
}

function parseOffset(text: string | undefined): number | null {
  if (!text) return null;
  const upper = text.toUpperCase();
  if (upper === 'Z') return 0;
  const abbr = TIME_ZONE_OFFSETS.get(upper);
  if (abbr !== undefined) return abbr;
  const match = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(text);
  if (!match) return null;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  if (minutes > 14 * 60) return null;
  return match[1] === '-' ? -minutes : minutes;
}

function readTime(after: string): Pick<FoundDate, 'hour' | 'minute' | 'second' | 'offsetMinutes'> | null {
  const match = TIME_AFTER.exec(after);
  if (!match) return null;
  let hour = Number(match[1]);
  const minute = Number(match[2]);
  const second = match[3] ? Number(match[3]) : 0;
  const meridiem = match[4]?.toLowerCase().replace(/\./g, '');
  if (meridiem === 'pm' && hour < 12) hour += 12;
  if (meridiem === 'am' && hour === 12) hour = 0;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return { hour, minute, second, offsetMinutes: parseOffset(match[5] ?? match[6]) };
}

function fromMatch(kind: string, m: RegExpExecArray, monthFirst: boolean): [number, number, number] | null {
  switch (kind) {
    case 'iso':
    case 'ymd':
    case 'cjk':
    case 'korean':
      return [Number(m[1]), Number(m[2]), Number(m[3])];
    case 'numeric': {
      const a = Number(m[1]);
      const b = Number(m[3]);
      const year = toYear(m[4]!);
      if (m[4]!.length === 2 && m[2] !== '.') return null; // "12/05/07" is too ambiguous.
      if (a > 12) return [year, b, a];
      if (b > 12) return [year, a, b];
      return monthFirst && m[2] === '/' ? [year, a, b] : [year, b, a];
    }
    case 'day-month': {
      const month = MONTHS.get(m[2]!.toLowerCase());
      return month ? [toYear(m[3] ?? m[4]!), month, Number(m[1])] : null;
    }
    case 'month-day': {
      const month = MONTHS.get(m[1]!.toLowerCase());
      return month ? [Number(m[3]), month, Number(m[2])] : null;
    }
    default:
      return null;
  }
}

/** Arabic-Indic, Persian, Devanagari and Bengali digits, which share the decimal system. */
const OTHER_DIGITS = /[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u09e6-\u09ef]/g;
const DIGIT_ZERO = [0x0660, 0x06f0, 0x0966, 0x09e6];

/** The text with every non-ASCII decimal digit replaced by its ASCII twin (same length, same indices). */
function asciiDigits(text: string): string {
  OTHER_DIGITS.lastIndex = 0;
  if (!OTHER_DIGITS.test(text)) return text;
  return text.replace(OTHER_DIGITS, (digit) => {
    const code = digit.charCodeAt(0);
    const zero = DIGIT_ZERO.find((z) => code >= z && code <= z + 9)!;
    return String(code - zero);
  });
}

/**
 * Every calendar date written in `text`, in order of appearance: ISO 8601, y/m/d, d.m.y, d/m/y or
 * m/d/y, "26 July 2007", "July 26, 2007", "26. Juli 2007", "26 de julio de 2007", CJK forms, each
 * with a following time ("5:14am", "16:28 GMT", "17.30 Uhr") and zone when present.
 */
export function findDates(input: string, options: FindDatesOptions = {}): FoundDate[] {
  const text = asciiDigits(input);
  const found: FoundDate[] = [];
  const taken: [number, number][] = [];
  const limit = options.limit ?? 50;
  for (const { kind, re } of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some(([s, e]) => start < e && end > s)) continue;
      const ymd = fromMatch(kind, m, options.monthFirst ?? false);
      if (!ymd || !isValidDay(ymd[0], ymd[1], ymd[2])) continue;
      taken.push([start, end]);
      let time: Pick<FoundDate, 'hour' | 'minute' | 'second' | 'offsetMinutes'> | null = null;
      if (kind === 'iso' && m[4] !== undefined) {
        time = {
          hour: Number(m[4]),
          minute: Number(m[5]),
          second: m[6] ? Number(m[6]) : 0,
          offsetMinutes: parseOffset(m[7]),
        };
        if (time.hour! > 23 || time.minute! > 59) time = null;
      } else {
        time = readTime(text.slice(end, end + 40));
      }
      found.push({
        year: ymd[0],
        month: ymd[1],
        day: ymd[2],
        hour: time?.hour ?? null,
        minute: time?.minute ?? null,
        second: time?.second ?? null,
        offsetMinutes: time?.offsetMinutes ?? null,
        index: start,
      });
      if (found.length >= limit * 3) break;
    }
  }
  return found.sort((a, b) => a.index - b.index).slice(0, limit);
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** ISO 8601: the date alone, or date-time with the stated offset ("Z" for UTC) or none when unknown. */
export function formatFoundDate(date: FoundDate): string {
  const day = `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
  if (date.hour === null || date.minute === null) return day;
  const time = `${day}T${pad(date.hour)}:${pad(date.minute)}:${pad(date.second ?? 0)}`;
  if (date.offsetMinutes === null) return time;
  if (date.offsetMinutes === 0) return `${time}Z`;
  const sign = date.offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(date.offsetMinutes);
  return `${time}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Milliseconds since the epoch; dates without an offset are read as UTC (good enough for bounds checks). */
export function foundDateToEpoch(date: FoundDate): number {
  const local = Date.UTC(
    date.year,
    date.month - 1,
    date.day,
    date.hour ?? 0,
    date.minute ?? 0,
    date.second ?? 0,
  );
  return local - (date.offsetMinutes ?? 0) * 60_000;
}
