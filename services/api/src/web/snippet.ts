const escapeText = (text: string) => text.replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The store's snippet (HTML-escaped text with `<mark>` around matches) checked once more before
 * it is written unescaped into a page: only `<mark>` and `</mark>` survive as markup, any other
 * angle bracket is escaped, and marks are balanced (a stray marker in a document cannot leave
 * the rest of the page highlighted).
 */
export function safeSnippetHtml(snippet: string): string {
  let open = false;
  let html = '';
  for (const part of snippet.split(/(<\/?mark>)/)) {
    if (part === '<mark>') {
      if (!open) html += part;
      open = true;
    } else if (part === '</mark>') {
      if (open) html += part;
      open = false;
    } else {
      html += escapeText(part);
    }
  }
  return open ? `${html}</mark>` : html;
}
