import { createHash } from 'node:crypto';
import { comparable } from '../normalize';
import type { LineShape } from './line-shape';

/** What a host's past documents say about this one: the keys of its lines that are template. */
export interface TemplateHints {
  /** `templateKeyOf` values of lines seen in the same position across most of the host's documents. */
  boilerplate: string[];
}

/** Where a line sits: before the first paragraph of prose, after the last, or between. */
export type LinePosition = 'head' | 'body' | 'tail';

/** A line's identity across documents: position plus its text with digits blurred, hashed short. */
export function templateKeyOf(line: string, position: LinePosition): string {
  const text = comparable(line).replace(/\d+/g, '0').slice(0, 300);
  return `${position[0]}:${createHash('sha1').update(text).digest('base64url').slice(0, 16)}`;
}

/** Least number of a host's documents before any of its lines is called template. */
export const MIN_DOCUMENTS_FOR_TEMPLATE = 3;

/**
 * Whether a line is the host's template, given how many of the host's documents had it in the
 * same position. Chrome sits at the edges or is short; a long sentence in the body is an
 * article's, even when two articles of the site share it (agency copy reused across stories).
 */
export function isTemplateLine(
  shape: Pick<LineShape, 'prose' | 'words'>,
  position: LinePosition,
  seenIn: number,
  documents: number,
): boolean {
  if (documents < MIN_DOCUMENTS_FOR_TEMPLATE || seenIn < MIN_DOCUMENTS_FOR_TEMPLATE) return false;
  const share = seenIn / documents;
  if (position === 'body') return !shape.prose && shape.words <= 8 && share >= 0.6;
  if (shape.prose && shape.words >= 15) return share >= 0.8;
  return share >= 0.5;
}
