import { isChromeLine, isTeaserLine } from './chrome-line';
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
 * Lines before the first paragraph of prose and after the last are chrome unless they are the
 * headline or dateline; lines between are the article unless they are known chrome.
 */
export function classifyLines(lines: string[]): ClassifiedLine[] {
  const shapes = lines.map(shapeOf);
  const firstProse = shapes.findIndex((shape) => shape.prose && !isChromeLine(shape.text));
  let lastProse = -1;
  for (let i = shapes.length - 1; i >= 0; i--) {
    if ((shapes[i] as LineShape).prose && !isChromeLine((shapes[i] as LineShape).text)) {
      lastProse = i;
      break;
    }
  }
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

/**
 * The headline: the title-like line next to the dateline (before it, else after it), or
 * failing a dateline the last title-like line before the article, whose navigation and
 * banners come first.
 */
function pickHeadline(lines: ClassifiedLine[], headEnd: number, datelineIndex: number): number {
  const titleLike = (i: number) => i >= 0 && i < headEnd && isTitleLike(lines[i] as ClassifiedLine);
  if (datelineIndex !== -1) {
    if (titleLike(datelineIndex - 1)) return datelineIndex - 1;
    if (titleLike(datelineIndex + 1)) return datelineIndex + 1;
  }
  for (let i = headEnd - 1; i >= 0; i--) if (titleLike(i)) return i;
  return -1;
}
