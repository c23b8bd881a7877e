import type { ParentNode } from 'domhandler';
import { findFirst, textOf } from './dom';

/** The page's headline: its first `<h1>`, when it reads like one. */
export function headlineOf(root: ParentNode): string | null {
  const h1 = findFirst(root, 'h1');
  if (!h1) return null;
  const text = textOf(h1);
  return text.length >= 3 && text.length <= 300 ? text : null;
}

/** The `<title>` and its parts around site-name separators ("Headline | Site"). */
export function titleVariants(root: ParentNode): string[] {
  const title = findFirst(root, 'title');
  if (!title) return [];
  const text = textOf(title);
  if (!text) return [];
  return [text, ...text.split(/\s+[|\-–—:·»]\s+|\s*::\s*/).map((part) => part.trim())].filter(
    (part) => part.length >= 3,
  );
}
