import { z } from 'zod';

/**
 * What the clean stage hands to the extract stage: the main text plus the structured signals
 * the extractor needs, so that raw HTML never travels past the fetcher.
 */
export const SignalSchema = z.object({
  /** Where the value came from, e.g. `meta:og:title`, `jsonld:headline`, `h1`, `title`, `text:headline`. */
  source: z.string(),
  value: z.string(),
});
export type Signal = z.infer<typeof SignalSchema>;

export const CleanedDocumentSchema = z.object({
  /** What the input was: an HTML page or plain text. */
  format: z.enum(['html', 'text']),
  /** Main content: paragraphs separated by one blank line, whitespace normalised, headline not repeated. */
  text: z.string(),
  /** Headline found by the cleaner (the `<h1>` or the text's headline line), if any. */
  headline: z.string().nullish(),
  /** Candidate titles from every signal, strongest first. */
  titleCandidates: z.array(SignalSchema).default([]),
  /** Publication-time hints: meta tags, JSON-LD, `<time>`, datelines lifted out of the text. */
  dateHints: z.array(SignalSchema).default([]),
  /** Byline hints: meta author, rel=author, byline elements, "By ..." lines. */
  bylineHints: z.array(SignalSchema).default([]),
  /** `<meta name|property>` contents, keys lower-cased. Only the first value of each key. */
  meta: z.record(z.string(), z.string()).default({}),
  /** Parsed JSON-LD objects (flattened out of `@graph`), as found. */
  jsonLd: z.array(z.unknown()).default([]),
  canonicalUrl: z.string().nullish(),
  /** The `<html lang>` (or content-language) declaration. */
  lang: z.string().nullish(),
  siteName: z.string().nullish(),
  /**
   * The charset the bytes were decoded with, and how it was chosen: `bom`, `header`, `meta`,
   * `content` (valid UTF-8 whatever was declared), `guess` or `default`.
   */
  charset: z.string().nullish(),
  charsetSource: z.string().nullish(),
});
export type CleanedDocument = z.infer<typeof CleanedDocumentSchema>;

export const EntityTypeSchema = z.enum(['person', 'organization', 'place']);
export type EntityType = z.infer<typeof EntityTypeSchema>;

export const EntitySchema = z.object({
  type: EntityTypeSchema,
  /** The fullest form of the name seen in the document ("Sean McCormack"). */
  name: z.string(),
  /** Every surface form seen ("Mr McCormack", "McCormack"). */
  aliases: z.array(z.string()).default([]),
  mentions: z.number().int().nonnegative(),
});
export type Entity = z.infer<typeof EntitySchema>;

export const QuoteSchema = z.object({
  text: z.string(),
  /** Canonical name of the speaking entity, when the text says who spoke. */
  speaker: z.string().nullish(),
});
export type Quote = z.infer<typeof QuoteSchema>;

export const FingerprintsSchema = z.object({
  /** 64-bit SimHash of the normalised body, as 16 hex digits. */
  simhash: z.string().regex(/^[0-9a-f]{16}$/),
  /** MinHash signature of the normalised body's shingles (unsigned 32-bit values). */
  minhash: z.array(z.number().int().nonnegative()),
});
export type Fingerprints = z.infer<typeof FingerprintsSchema>;

/** What the extract stage hands to the index stage, and what the index stores. */
export const ExtractedDocumentSchema = z.object({
  id: z.string(),
  url: z.string().nullish(),
  canonicalUrl: z.string().nullish(),
  source: z.string().nullish(),
  siteName: z.string().nullish(),
  title: z.string().nullish(),
  text: z.string(),
  description: z.string().nullish(),
  byline: z.string().nullish(),
  authors: z.array(z.string()).default([]),
  /** ISO 8601 with the offset stated or implied by the source. */
  publishedAt: z.string().nullish(),
  modifiedAt: z.string().nullish(),
  /** Which signal gave publishedAt (`jsonld`, `meta:article:published_time`, `dateline`, `url`...). */
  publishedAtSource: z.string().nullish(),
  lang: z.string().nullish(),
  entities: z.array(EntitySchema).default([]),
  quotes: z.array(QuoteSchema).default([]),
  keywords: z.array(z.string()).default([]),
  summary: z.string().nullish(),
  fingerprints: FingerprintsSchema.nullish(),
  fetchedAt: z.string(),
  extractedAt: z.string(),
});
export type ExtractedDocument = z.infer<typeof ExtractedDocumentSchema>;
