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
      // Most paragraphs are one line: no need to split them.
      paragraph.includes('\n')
        ? paragraph
            .split('\n')
            .map((line) => line.replace(/[\s\u00a0]+/g, ' ').trim())
            .filter(Boolean)
            .join('\n')
        : paragraph.replace(/[\s\u00a0]+/g, ' ').trim(),
    )
    .filter(Boolean)
    .join('\n\n');
}
