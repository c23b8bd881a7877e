import type { FoundDate } from './find-dates';

const SEPARATED = /(?:^|[/_-])((?:19|20)\d{2})[/_.-](\d{1,2})[/_.-](\d{1,2})(?=$|[/_.-]|[^\d])/;
const COMPACT = /(?:^|[/_-])((?:19|20)\d{2})(\d{2})(\d{2})(?=$|[/_.-])/;

/** The full calendar date written in a URL path ("/2007/07/25/", "-20070725-"), if any. */
export function findUrlDate(url: string | null | undefined): FoundDate | null {
  if (!url) return null;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url;
  }
  const match = SEPARATED.exec(path) ?? COMPACT.exec(path);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return null;
  return { year, month, day, hour: null, minute: null, second: null, offsetMinutes: null, index: 0 };
}

const YEAR_MONTH = /(?:^|\/)((?:19|20)\d{2})\/(\d{1,2})(?:\/|$)/;

/** The year and month written in a URL path ("/2011/12/slug"), when no full date is there. */
export function findUrlYearMonth(url: string | null | undefined): { year: number; month: number } | null {
  if (!url) return null;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url;
  }
  const match = YEAR_MONTH.exec(path);
  if (!match) return null;
  const month = Number(match[2]);
  return month >= 1 && month <= 12 ? { year: Number(match[1]), month } : null;
}
