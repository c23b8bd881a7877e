import { isCallToAction, isFurnitureLine, opensComments } from '../furniture';
import { isTeaserLine, isChromeLine as isTextChromeLine } from './chrome-line';
import { isDateline } from './dateline';
import { type LineShape, shapeOf } from './line-shape';
import type { LinePosition } from './template';

export interface ClassifiedLine extends LineShape {
  position: LinePosition;
  role: 'headline' | 'dateline' | 'body' | 'chrome';
}

/**
 * Splits text into lines (joining hard-wrapped paragraphs) in reading order. Blank lines
 * separate paragraphs; inside a paragraph, lines wrapped at a fixed width are joined.
 */
export function linesOf(text: string): string[] {
  const blocks = text.replace(/\r\n?/g, '\n').split(/\n[ \t\u00a0]*\n/);
  const lines: string[] = [];
  for (const block of blocks) {
    const raw = block
      .split('\n')
      .map((line) => line.replace(/[\s\u00a0]+/g, ' ').trim())
      .filter(Boolean);
    if (raw.length > 2 && isHardWrapped(raw)) lines.push(raw.join(' '));
    else lines.push(...raw);
  }
  return lines;
}

/** Most lines of similar, column-like length that mostly do not end a sentence. */
function isHardWrapped(lines: string[]): boolean {
  const body = lines.slice(0, -1);
  const long = body.filter((line) => line.length >= 50 && line.length <= 100).length;
  const ended = body.filter((line) => /[.!?]["'”’]?$/.test(line)).length;
  return long >= body.length * 0.8 && ended <= body.length * 0.3;
}

/** Furniture in flattened text: the text vocabulary, the HTML blocks' one, calls to action. */
function isChromeLine(text: string): boolean {
  return isTextChromeLine(text) || isFurnitureLine(text) || isCallToAction(text);
}

/** What a short line that is not prose costs the span around it: its length and this... */
const SHORT_LINE_BASE_COST = 10;
/** ...up to this (about a menu item's worth). */
const MAX_SHORT_LINE_COST = 40;
/** What a line of known furniture costs the span around it. */
const CHROME_LINE_COST = 80;

/**
 * The run of lines that holds the article: the contiguous span in which prose outweighs the
 * lines that are not (a maximum-sum subarray, prose counting its length and other lines a
 * cost), so that prose in a sidebar, a footer or an "about us" box, cut off from the article by
 * menus and link lists, is left out, while a subheading or a short line inside the article is
 * not enough to split it. [-1, -1] when no line is prose.
 */
function articleSpan(shapes: LineShape[]): [number, number] {
  // Readers' comments close the page: when prose comes before their heading, the article does.
  const comments = shapes.findIndex((shape) => shape.text.length < 40 && opensComments(shape.text));
  if (comments > 0) {
    const before = maximumSpan(shapes, 0, comments);
    if (before[0] !== -1) return before;
  }
  return maximumSpan(shapes, 0, shapes.length);
}

/** The maximum-sum span of lines in `[from, to)`. */
function maximumSpan(shapes: LineShape[], from: number, to: number): [number, number] {
  let best = 0;
  let bestSpan: [number, number] = [-1, -1];
  let sum = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    const shape = shapes[i] as LineShape;
    const chrome = isChromeLine(shape.text) || isTeaserLine(shape.text);
    const weight =
      shape.prose && !chrome
        ? shape.text.length
        : chrome
          ? -CHROME_LINE_COST
          : -Math.min(MAX_SHORT_LINE_COST, shape.text.length + SHORT_LINE_BASE_COST);
    if (sum <= 0) {
      sum = 0;
      start = i;
    }
    sum += weight;
    if (sum > best) {
      best = sum;
      bestSpan = [start, i];
    }
  }
  return bestSpan;
}

function isTitleLike(shape: LineShape): boolean {
  return (
    shape.words >= 2 &&
    shape.words <= 25 &&
    !/[.;,:]$/.test(shape.text) &&
    !isChromeLine(shape.text) &&
    !isTeaserLine(shape.text) &&
    !isDateline(shape.text)
  );
}

/**
 * Classifies each line: the headline and dateline before the article, the article's
 * paragraphs, and chrome (navigation, prompts, teasers, widgets) around and inside it.
 * Lines before the article's span (see `articleSpan`) and after it are chrome unless they are
 * the headline or dateline; lines inside it are the article unless they are known chrome.
 */
export function classifyLines(lines: string[]): ClassifiedLine[] {
  const shapes = lines.map(shapeOf);
  const [firstProse, lastProse] = articleSpan(shapes);
  const classified: ClassifiedLine[] = shapes.map((shape, i) => {
    const position: LinePosition =
      firstProse === -1 || i < firstProse ? 'head' : i > lastProse ? 'tail' : 'body';
    let role: ClassifiedLine['role'] = 'body';
    if (position !== 'body') role = 'chrome';
    else if (isChromeLine(shape.text) || isTeaserLine(shape.text) || isDateline(shape.text)) role = 'chrome';
    return { ...shape, position, role };
  });

  const headEnd = firstProse === -1 ? Math.min(classified.length, 8) : firstProse;
  const datelineIndex = classified.slice(0, headEnd).findIndex((line) => isDateline(line.text));
  if (datelineIndex !== -1) (classified[datelineIndex] as ClassifiedLine).role = 'dateline';
  const headlineIndex = pickHeadline(classified, headEnd, datelineIndex);
  if (headlineIndex !== -1) (classified[headlineIndex] as ClassifiedLine).role = 'headline';
  return classified;
}

/** Lines above an article that are about it rather than its title: bylines, datelines, crumbs, credits. */
const META_LINE = new RegExp(
  [
    String.raw`^(?:by|von|par|por|di|door|av|posted|published|veröffentlicht|geschrieben|erstellt|aktualisiert|autor|author|post author|written by|updated)\b`,
    String.raw`(?:^|\s)(?:sie sind hier|you are here|vous êtes ici)\b`,
    String.raw`[»›].*[»›]|\S\s[>/]\s\S.*\s[>/]\s\S`,
    String.raw`%s|\{\{`,
    String.raw`(?:^|\s)(?:bild|foto|photo|image|quelle|source|credit)s?\s*:\s*\S+(?:\s\S+){0,4}$`,
  ].join('|'),
  'i',
);

/** A date with its year, in the forms most languages write: the line is a dateline, not a title. */
const DATED =
  /\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\.?\s+\p{L}{3,}\.?\s+\d{4}\b|\p{L}{3,}\.?\s+\d{1,2},?\s+\d{4}\b/u;

function isHeadlineCandidate(line: ClassifiedLine): boolean {
  return isTitleLike(line) && !META_LINE.test(line.text) && !DATED.test(line.text);
}

/** Title-like lines this far above the article are weighed; the headline sits close to it. */
const HEADLINE_WINDOW = 10;

const contentWords = (text: string) =>
  new Set((text.toLowerCase().match(/[\p{L}\p{N}]{4,}/gu) ?? []).filter((word) => !/^\d+$/.test(word)));

/**
 * The headline: among the title-like lines just above the article (bylines, dates, breadcrumbs
 * and credits excluded), the one that shares most words with the article's first lines, with a
 * half-word bonus for standing next to the dateline; the nearest on a tie. A headline announces
 * what the lead then says.
 */
function pickHeadline(lines: ClassifiedLine[], headEnd: number, datelineIndex: number): number {
  const lead = contentWords(
    lines
      .slice(headEnd, headEnd + 3)
      .map((line) => line.text)
      .join(' '),
  );
  let best = -1;
  let bestScore = -1;
  for (let i = headEnd - 1; i >= Math.max(0, headEnd - HEADLINE_WINDOW); i--) {
    if (!isHeadlineCandidate(lines[i] as ClassifiedLine)) continue;
    let score = datelineIndex !== -1 && Math.abs(i - datelineIndex) === 1 ? 0.5 : 0;
    for (const word of contentWords((lines[i] as ClassifiedLine).text)) if (lead.has(word)) score++;
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}
