/** Lower-cased, whitespace-collapsed, punctuation-light form used to compare short texts. */
export function comparable(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/[“”"'‘’«»„]/g, '')
    .trim();
}

/** Paragraphs joined by one blank line, spaces collapsed inside each line. */
export function joinParagraphs(paragraphs: string[]): string {
  return paragraphs
    .map((paragraph) =>
      paragraph
        .split('\n')
        .map((line) => line.replace(/[\s\u00a0]+/g, ' ').trim())
        .filter(Boolean)
        .join('\n'),
    )
    .filter(Boolean)
    .join('\n\n');
}
