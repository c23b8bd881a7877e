import type { Element } from 'domhandler';

const MAX_META_KEYS = 300;
const MAX_VALUE_LENGTH = 2000;

/**
 * `<meta name|property|itemprop|http-equiv>` contents keyed by lower-cased name; the first value of
 * each key wins. One pass over every meta element (some sites put itemprop metas in the body).
 */
export function collectMeta(elements: readonly Element[]): Record<string, string> {
  const meta: Record<string, string> = {};
  let count = 0;
  for (const el of elements) {
    if (count >= MAX_META_KEYS) break;
    const attribs = el.attribs;
    const key = attribs.property ?? attribs.name ?? attribs.itemprop ?? attribs['http-equiv'];
    const content = attribs.content;
    if (!key || content === undefined) continue;
    const lower = key.trim().toLowerCase();
    const value = content.trim().slice(0, MAX_VALUE_LENGTH);
    if (!lower || !value || lower in meta) continue;
    meta[lower] = value;
    count++;
  }
  return meta;
}
