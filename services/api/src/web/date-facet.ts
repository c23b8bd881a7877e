import { countMatchesByPeriod, type Database, type SearchParams, searchTimeSpan } from '@sluice/store';
import { utcDay, utcTickInterval } from 'd3-time';

const DAY_MS = 86_400_000;
/** About how many periods the facet offers (d3 picks the nearest calendar-friendly step). */
const PERIODS = 4;

/** One period of the date facet, as the page shows it. */
export interface DatePeriod {
  label: string;
  count: number;
  capped: boolean;
  /** `from`/`to` filter values: a date (YYYY-MM-DD) when the edge is midnight UTC, else ISO. */
  from: string;
  to: string;
}

/**
 * Calendar-friendly period edges covering `first..last`: d3's choice of tick interval for the
 * span (days, weeks, months or years, whichever gives about PERIODS periods), never finer than a
 * day so every edge fits the page's date inputs.
 */
export function periodEdges(first: number, last: number, periods = PERIODS): number[] {
  const interval = utcTickInterval(new Date(first), new Date(last), periods);
  const step = interval && last - first >= periods * DAY_MS ? interval : utcDay;
  const start = step.floor(new Date(first));
  const end = step.offset(step.floor(new Date(last)), 1);
  return [...step.range(start, end).map((edge) => edge.getTime()), end.getTime()];
}

const formats = {
  years: new Intl.DateTimeFormat('en-GB', { year: 'numeric', timeZone: 'UTC' }),
  months: new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }),
  days: new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }),
};

/** "2008 – 2009", "Jan – Mar 2014", "16 – 22 Mar 2014", "16 Mar 2014". */
export function periodLabel(from: number, to: number): string {
  const length = to - from;
  const format =
    length >= 360 * DAY_MS ? formats.years : length >= 28 * DAY_MS ? formats.months : formats.days;
  return format.formatRange(new Date(from), new Date(to - 1));
}

const filterValue = (time: number) => {
  const iso = new Date(time).toISOString();
  return time % DAY_MS === 0 ? iso.slice(0, 10) : iso;
};

/**
 * The search's date facet: its matches per period over the index's span (cut to the search's
 * own from/to), periods without a match left out. Two small statements after the search:
 * `estimate`, the search's own count of a broad query's matches, spares the facet a probe and
 * sizes its windows (see `countMatchesByPeriod`).
 */
export async function dateFacet(
  db: Database,
  params: SearchParams,
  { estimate }: { estimate?: number } = {},
): Promise<DatePeriod[]> {
  const span = await searchTimeSpan(db, params);
  if (!span) return [];
  // The outer edges stay inside the search's own from/to, so no period counts beyond them.
  const low = params.from ? Date.parse(params.from) : Number.NEGATIVE_INFINITY;
  const high = params.to ? Date.parse(params.to) : Number.POSITIVE_INFINITY;
  const edges = periodEdges(Date.parse(span.first), Date.parse(span.last)).map((edge) =>
    Math.min(Math.max(edge, low), high),
  );
  const counts = await countMatchesByPeriod(
    db,
    params,
    [...new Set(edges)].map((edge) => new Date(edge).toISOString()),
    { estimate, span },
  );
  return counts
    .filter((period) => period.count > 0)
    .map((period) => {
      const from = Date.parse(period.from);
      const to = Date.parse(period.to);
      return {
        label: periodLabel(from, to),
        count: period.count,
        capped: period.capped,
        from: filterValue(from),
        to: filterValue(to),
      };
    });
}
