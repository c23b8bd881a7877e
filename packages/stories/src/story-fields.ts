import { contentWords, stem } from './terms';

/** The text of a document as the story model reads it. Headlines alone work. */
export interface StoryText {
  title: string;
  /** The opening of the article (description and first sentences). */
  lead?: string;
  /** The rest of the article. */
  body?: string;
}

/** One sparse vector per text field and term kind: `.w` words as written, `.s` their stems. */
export const VECTOR_FIELDS = ['title.w', 'title.s', 'lead.w', 'lead.s', 'body.w', 'body.s'] as const;
export type VectorField = (typeof VECTOR_FIELDS)[number];
export type FieldVectors = Record<VectorField, Map<string, number>>;

/** Words of the lead: the first paragraph or two carry who, what and where. */
export const LEAD_WORDS = 60;
/** Words of the body read past the lead: later paragraphs add background, then noise. */
export const BODY_WORDS = 400;

export const emptyFieldVectors = (): FieldVectors =>
  Object.fromEntries(VECTOR_FIELDS.map((field) => [field, new Map<string, number>()])) as FieldVectors;

/** Splits an article's text (description first, if any) into the lead and the body after it. */
export function splitArticle(text: string, description?: string | null): { lead: string; body: string } {
  const words = `${description ?? ''} ${text}`.split(/\s+/).filter(Boolean);
  return {
    lead: words.slice(0, LEAD_WORDS).join(' '),
    body: words.slice(LEAD_WORDS, LEAD_WORDS + BODY_WORDS).join(' '),
  };
}

/** Term counts per vector field. */
export function fieldTermCounts(text: StoryText): FieldVectors {
  const counts = emptyFieldVectors();
  for (const [field, value] of [
    ['title', text.title],
    ['lead', text.lead ?? ''],
    ['body', text.body ?? ''],
  ] as const) {
    for (const word of contentWords(value)) {
      add(counts[`${field}.w`], word);
      add(counts[`${field}.s`], stem(word));
    }
  }
  return counts;
}

/** The key a term's document frequency is counted under: words and stems apart, fields together. */
export const frequencyKey = (field: VectorField, term: string) =>
  `${field.endsWith('.w') ? 'w' : 's'}:${term}`;

/** The distinct document-frequency keys of one document. */
export function frequencyKeys(counts: FieldVectors): string[] {
  const keys = new Set<string>();
  for (const field of VECTOR_FIELDS)
    for (const term of counts[field].keys()) keys.add(frequencyKey(field, term));
  return [...keys];
}

function add(counts: Map<string, number>, term: string) {
  counts.set(term, (counts.get(term) ?? 0) + 1);
}
