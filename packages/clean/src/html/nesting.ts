/** Elements with no content, or whose end tag may be left out: they do not deepen a page's nesting. */
const NOT_NESTING = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
  'p',
  'li',
  'dt',
  'dd',
  'tr',
  'td',
  'th',
  'option',
  'optgroup',
  'thead',
  'tbody',
  'tfoot',
  'colgroup',
  'rb',
  'rt',
  'rp',
  'html',
  'head',
  'body',
]);

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(\/?)>/g;

/**
 * How deep the markup's explicitly closed elements nest, read from the tags alone, stopping once
 * past `limit`. The parser is quadratic on hostile nesting, so this runs before it.
 */
export function nestingDepth(html: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  TAG.lastIndex = 0;
  for (let match = TAG.exec(html); match; match = TAG.exec(html)) {
    const name = (match[2] as string).toLowerCase();
    if (NOT_NESTING.has(name) || match[3]) continue;
    if (match[1]) {
      if (depth > 0) depth--;
    } else if (++depth > deepest) {
      deepest = depth;
      if (deepest > limit) return deepest;
    }
  }
  return deepest;
}
