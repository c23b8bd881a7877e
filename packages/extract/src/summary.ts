/** Paragraphs shorter than this many words are headlines, datelines or furniture, not the lead. */
const MIN_LEAD_WORDS = 8;

/**
 * A short summary: the leading sentences of the first real paragraph(s), up to about `maxChars`.
 * Null when the text has no paragraph of prose.
 */
export function summarize(text: string, maxChars = 300): string | null {
  const paragraphs = text
    .split(/\n\s*\n|\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.split(' ').length >= MIN_LEAD_WORDS && /[.!?…]["”’]?$/.test(p));
  const sentences = paragraphs.slice(0, 3).flatMap((p) => p.split(/(?<=[.!?…]["”’]?)\s+(?=["“‘]?\p{Lu})/u));
  let summary = '';
  for (const sentence of sentences) {
    if (summary && summary.length + sentence.length + 1 > maxChars) break;
    summary = summary ? `${summary} ${sentence}` : sentence;
    if (summary.length >= maxChars * 0.6) break;
  }
  if (!summary) return null;
  return summary.length > maxChars * 1.5 ? `${summary.slice(0, maxChars).replace(/\s+\S*$/, '')}…` : summary;
}
