import { scaleLinear, scaleTime } from 'd3-scale';
import { area, curveStepAfter } from 'd3-shape';

/** A small "documents over time" chart: the SVG path and what it says, for a screen reader too. */
export interface ActivityChart {
  width: number;
  height: number;
  /** The filled area's SVG path (numbers only: safe to write into the page as is). */
  path: string;
  label: string;
  peak: number;
}

interface Size {
  width?: number;
  height?: number;
}

const MIN_SPAN_MS = 3_600_000;

/**
 * Documents per time bucket between the first and last time, drawn as a step area with d3's
 * scales and shape generator, rendered on the server (no script, nothing inline for CSP).
 */
export function activityChart(
  times: readonly number[],
  { buckets = 16, ...size }: Size & { buckets?: number } = {},
) {
  const first = Math.min(...times);
  const span = Math.max(Math.max(...times) - first, MIN_SPAN_MS);
  const counts = new Array<number>(buckets).fill(0);
  for (const time of times)
    counts[Math.min(Math.floor(((time - first) / span) * buckets), buckets - 1)]! += 1;
  return spanChart(counts, first, first + span, size);
}

/** Counts already bucketed over first..last (at least an hour, as `storyActivity` gives them). */
export function spanChart(
  counts: readonly number[],
  first: number,
  last: number,
  { width = 160, height = 32 }: Size = {},
): ActivityChart {
  const span = Math.max(last - first, MIN_SPAN_MS);
  const { path, peak } = stepArea(counts, first, span, width, height);
  const total = counts.reduce((sum, count) => sum + count, 0);
  const days = span / 86_400_000;
  const spanText =
    days >= 2 ? `${Math.round(days)} days` : `${Math.max(Math.round(span / 3_600_000), 1)} hours`;
  return {
    width,
    height,
    path,
    peak,
    label: `${total} ${total === 1 ? 'document' : 'documents'} over ${spanText}, at most ${peak} in one ${counts.length}th of it`,
  };
}

/** Jobs per minute over the last `counts.length` minutes (oldest first), as a small chart. */
export function perMinuteChart(
  counts: readonly number[],
  what: string,
  { width = 160, height = 32 }: Size = {},
): ActivityChart {
  const span = counts.length * 60_000;
  const { path, peak } = stepArea(counts, Date.now() - span, span, width, height);
  const total = counts.reduce((sum, count) => sum + count, 0);
  return {
    width,
    height,
    path,
    peak,
    label: `${total} ${what} in the last ${counts.length} minutes, at most ${peak} in one minute`,
  };
}

/** A step area over equal time buckets starting at `first` and covering `span` ms. */
function stepArea(counts: readonly number[], first: number, span: number, width: number, height: number) {
  const peak = Math.max(...counts, 1);
  const x = scaleTime()
    .domain([new Date(first), new Date(first + span)])
    .range([0, width]);
  const y = scaleLinear().domain([0, peak]).range([height, 1]);
  const points = [...counts, counts.at(-1) ?? 0].map((count, index) => ({
    time: first + (span * index) / counts.length,
    count,
  }));
  const path =
    area<{ time: number; count: number }>()
      .x((point) => x(new Date(point.time)))
      .y0(height)
      .y1((point) => y(point.count))
      .curve(curveStepAfter)(points) ?? '';
  return { path, peak };
}
