import { type ExtractedDocument, normalizeDocumentUrl } from '@sluice/contracts';
import { bodyHash, contentHash, normalizeBody } from './hashing';
import { textSearchConfigFor } from './language';

/** Longest body fed to `to_tsvector`: a tsvector is capped at 1 MB, and leads carry the terms. */
const MAX_INDEXED_CHARS = 200_000;
/** Bodies shorter than this (normalised) are too generic to call two documents identical. */
const MIN_BODY_FOR_HASH = 80;

/** What the index derives from a document before writing it. */
export interface DocumentRow {
  doc: ExtractedDocument;
  config: string;
  eventAt: string;
  bodyHash: string | null;
  contentHash: string;
  /** Normalised URL and canonical URL, deduplicated. */
  urls: string[];
  indexedText: string;
}

export function documentRow(doc: ExtractedDocument): DocumentRow {
  const urls = new Set<string>();
  for (const url of [doc.url, doc.canonicalUrl]) {
    const normalized = url ? safeNormalizeUrl(url) : null;
    if (normalized) urls.add(normalized);
  }
  const normalizedBody = normalizeBody(doc.text);
  return {
    doc,
    config: textSearchConfigFor(doc.lang),
    eventAt: validTime(doc.publishedAt) ?? validTime(doc.fetchedAt) ?? new Date().toISOString(),
    bodyHash: normalizedBody.length >= MIN_BODY_FOR_HASH ? bodyHash(doc.text) : null,
    contentHash: contentHash(doc),
    urls: [...urls],
    indexedText: doc.text.length > MAX_INDEXED_CHARS ? doc.text.slice(0, MAX_INDEXED_CHARS) : doc.text,
  };
}

function safeNormalizeUrl(url: string): string | null {
  try {
    return normalizeDocumentUrl(url);
  } catch {
    return null;
  }
}

/** An ISO time PostgreSQL will accept, or null. */
export function validTime(value: string | null | undefined): string | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
