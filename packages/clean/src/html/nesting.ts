/** Elements with no content, or whose end tag may be left out: they do not deepen a page's nesting. */
const NOT_NESTING_NAMES = [
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
];

/** Elements whose content the parser reads as text up to their end tag. */
const RAW_TEXT_NAMES = ['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes'];

/**
 * Tag names are compared as numbers, folded to lower case as they are read: base 38 over
 * a-z, 0-9 and '-', exact up to ten characters (every name these sets hold is shorter), so the
 * scan allocates no string per tag.
 */
const MAX_HASHED_NAME = 10;

function charValue(code: number): number {
  if (code >= 97 && code <= 122) return code - 96;
  if (code >= 65 && code <= 90) return code - 64;
  if (code >= 48 && code <= 57) return code - 21;
  return 37;
}

function nameHash(name: string): number {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = hash * 38 + charValue(name.charCodeAt(i));
  return hash;
}

const NOT_NESTING = new Set(NOT_NESTING_NAMES.map(nameHash));
const RAW_TEXT = new Set(RAW_TEXT_NAMES.map(nameHash));

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
    let hash = 0;
    for (let code = html.charCodeAt(i); i < length && isNameChar(code); code = html.charCodeAt(++i)) {
      hash = hash * 38 + charValue(code);
    }
    if (i - nameStart > MAX_HASHED_NAME) hash = -1;
    const end = html.indexOf('>', i);
    if (end === -1) break;
    if (NOT_NESTING.has(hash)) {
      at = end;
      continue;
    }
    if (!closing && RAW_TEXT.has(hash)) {
      // Scripts and styles hold text, not tags, however many `<span>`s a script's strings spell.
      const close = new RegExp(`</${html.slice(nameStart, i)}`, 'gi');
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
