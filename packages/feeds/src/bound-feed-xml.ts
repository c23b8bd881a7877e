const TOKEN =
  /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<![A-Za-z][^>]*>|<(\/?)([A-Za-z_][\w:.-]*)(?:"[^"]*"|'[^']*'|[^'">])*?(\/?)>/g;
const ITEM = /^(?:[\w.-]+:)?(?:item|entry)$/i;
const ITEM_END = /<\/(?:[\w.-]+:)?(?:item|entry)\s*>/gi;

/**
 * Cuts an XML feed after its `maxItems`-th item (or entry) and closes the elements still open
 * there, so the parser only ever sees `maxItems` items however long the feed is. The scan is a
 * single regular-expression pass up to the cut, far cheaper than building the whole tree; past
 * the cut, items are only counted (closing tags, a cheaper scan, so an item tag quoted inside
 * CDATA there may be miscounted: the count is for the record only). Returns the text unchanged
 * when it has no more than `maxItems` items.
 */
export function boundFeedXml(text: string, maxItems: number): { text: string; droppedItems: number } {
  const stack: string[] = [];
  let items = 0;
  let cut = -1;
  let openAtCut: string[] = [];
  let dropped = 0;
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(text); match; match = TOKEN.exec(text)) {
    const [, closing, name, selfClosing] = match;
    if (!name || selfClosing) continue;
    if (!closing) {
      stack.push(name);
      continue;
    }
    // Pop to the matching open tag; tolerate sloppy nesting.
    const at = stack.lastIndexOf(name);
    if (at >= 0) stack.length = at;
    if (!ITEM.test(name)) continue;
    items++;
    if (items === maxItems) {
      cut = TOKEN.lastIndex;
      openAtCut = [...stack];
      break;
    }
  }
  if (cut >= 0) {
    ITEM_END.lastIndex = cut;
    while (ITEM_END.exec(text)) dropped++;
  }
  if (cut < 0 || dropped === 0) return { text, droppedItems: 0 };
  const closers = openAtCut
    .reverse()
    .map((name) => `</${name}>`)
    .join('');
  return { text: text.slice(0, cut) + closers, droppedItems: dropped };
}
