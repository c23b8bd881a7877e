import { scaleUtc } from 'd3-scale';

/** Sources drawn as lanes at most; the rest are counted in `otherSources`. */
const MAX_LANES = 12;
const LANE_HEIGHT = 34;
const AXIS_HEIGHT = 24;
const MIN_SPAN_MS = 3_600_000;

export interface LaneMember {
  id: string;
  title: string | null;
  source: string | null;
  url: string | null;
  at: string;
  duplicateOf: string | null;
}

/** A story's timeline by source: one lane per source, its documents placed on one time axis. */
export interface SourceLanes {
  /** Busiest source first. Positions: `x` in percent of the width, `y` in pixels. */
  lanes: {
    source: string;
    count: number;
    labelY: number;
    y: number;
    dots: { x: number; title: string; duplicate: boolean }[];
  }[];
  ticks: { x: number; label: string; anchor: 'start' | 'middle' | 'end' }[];
  axisY: number;
  height: number;
  otherSources: number;
  /** What the chart shows, for a screen reader. */
  label: string;
}

const dateTime = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/**
 * Lays a story's members out per source on a shared time axis with d3's UTC time scale (its
 * ticks and their format too). Positions are percentages so the SVG stretches to any width
 * while its dots stay round; the page draws it as is (no script).
 */
export function sourceLanes(members: readonly LaneMember[], sourceName: (member: LaneMember) => string) {
  const times = members.map((member) => Date.parse(member.at));
  const first = Math.min(...times);
  const last = Math.max(...times);
  const pad = last - first < MIN_SPAN_MS ? (MIN_SPAN_MS - (last - first)) / 2 : 0;
  const x = scaleUtc()
    .domain([first - pad, last + pad])
    .range([2, 98]);
  const bySource = new Map<string, LaneMember[]>();
  for (const member of members) {
    const source = sourceName(member);
    bySource.set(source, [...(bySource.get(source) ?? []), member]);
  }
  const ordered = [...bySource.entries()].sort(
    ([a, left], [b, right]) => right.length - left.length || a.localeCompare(b),
  );
  const shown = ordered.slice(0, MAX_LANES);
  const lanes = shown.map(([source, lane], index) => ({
    source,
    count: lane.length,
    labelY: index * LANE_HEIGHT + 13,
    y: index * LANE_HEIGHT + 25,
    dots: lane.map((member) => ({
      x: round(x(new Date(Date.parse(member.at)))),
      title: `${member.title || '(untitled)'}, ${dateTime.format(new Date(member.at))} UTC${member.duplicateOf ? ' (duplicate)' : ''}`,
      duplicate: Boolean(member.duplicateOf),
    })),
  }));
  const axisY = shown.length * LANE_HEIGHT + 4;
  const format = x.tickFormat();
  const ticks = x.ticks(4).map((tick) => {
    const position = round(x(tick));
    return {
      x: position,
      label: format(tick),
      anchor: position < 12 ? ('start' as const) : position > 88 ? ('end' as const) : ('middle' as const),
    };
  });
  const otherSources = ordered.length - shown.length;
  const listed = shown.map(([source, lane]) => `${source} ${lane.length}`).join(', ');
  const label =
    `Timeline by source, ${ordered.length} ${ordered.length === 1 ? 'source' : 'sources'} ` +
    `from ${dateTime.format(new Date(first))} to ${dateTime.format(new Date(last))} UTC: ${listed}` +
    (otherSources > 0 ? `, and ${otherSources} more` : '');
  return { lanes, ticks, axisY, height: axisY + AXIS_HEIGHT, otherSources, label } satisfies SourceLanes;
}

const round = (value: number) => Math.round(value * 100) / 100;
