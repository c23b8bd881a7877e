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

/** Elements whose content the parser reads as text up to their end tag. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes']);

function isNameStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

function isNameChar(code: number): boolean {
  return isNameStart(code) || (code >= 48 && code <= 57) || code === 45;
}

/**
 * How deep the markup's explicitly closed elements nest, read from the tags alone, stopping once
 * past `limit`. The parser is quadratic on hostile nesting, so this runs before it: one forward
 * scan from `<` to `<`, no regular expression.
 */
export function nestingDepth(html: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  const length = html.length;
  for (let at = html.indexOf('<'); at !== -1 && at < length; at = html.indexOf('<', at + 1)) {
    let i = at + 1;
    const closing = html.charCodeAt(i) === 47; // '/'
    if (closing) i++;
    if (!isNameStart(html.charCodeAt(i))) continue;
    const nameStart = i;
    while (i < length && isNameChar(html.charCodeAt(i))) i++;
    const name = html.slice(nameStart, i).toLowerCase();
    const end = html.indexOf('>', i);
    if (end === -1) break;
    if (NOT_NESTING.has(name)) {
      at = end;
      continue;
    }
    if (!closing && RAW_TEXT.has(name)) {
      // Scripts and styles hold text, not tags, however many `<span>`s a script's strings spell.
      const close = new RegExp(`</${name}`, 'gi');
      close.lastIndex = end;
      const found = close.exec(html);
      if (!found) break;
      at = found.index;
      continue;
    }
    // A tag whose last character before `>` is `/` closes itself.
    if (html.charCodeAt(end - 1) === 47) {
      at = end;
      continue;
    }
    at = end;
    if (closing) {
      if (depth > 0) depth--;
    } else if (++depth > deepest) {
      deepest = depth;
      if (deepest > limit) return deepest;
    }
  }
  return deepest;
}
