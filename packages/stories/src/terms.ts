/** Words too common in news to tell stories apart (English; other languages pass through). */
const STOPWORDS = new Set(
  `a about after again against all also am an and any are as at be because been before being below between both
  but by can could did do does doing down during each few for from further had has have having he her here hers
  him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our
  out over own said same says she should so some such than that the their them then there these they this those
  through to too under until up very was we were what when where which while who whom why will with would you your
  new news report reports update updated live video photos watch read via mr mrs ms`
    .split(/\s+/)
    .filter(Boolean),
);

/** Light English stemming: enough to match "talks"/"talk" and "rejects"/"rejected" in headlines. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
  if (word.endsWith('es') && /(sh|ch|x|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

/** The content words of a text, lower-cased, in order (not stemmed). */
export function contentWords(text: string): string[] {
  const words = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .split(/[^\p{L}\p{N}]+/u);
  const terms: string[] = [];
  for (const word of words) {
    if (word.length < 2 || STOPWORDS.has(word)) continue;
    terms.push(word);
  }
  return terms;
}

/** The content words of a text, lower-cased and stemmed, in order. */
export function tokenize(text: string): string[] {
  return contentWords(text).map(stem);
}

/** Term counts of a title and a lead, the title counting double: it names the story. */
export function termCounts(title: string, lead = ''): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of tokenize(title)) counts.set(term, (counts.get(term) ?? 0) + 2);
  for (const term of tokenize(lead)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

/** The first `words` words of a body: the lead carries the story; the rest adds noise. */
export function leadOf(text: string, words = 60): string {
  return text.split(/\s+/, words).join(' ');
}
