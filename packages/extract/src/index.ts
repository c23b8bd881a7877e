export { extractAuthors, isPersonName, namesInByline } from './authors';
export { normalizeCanonicalUrl } from './canonical-url';
export { type DateExtraction, type DateInput, extractDates } from './dates/extract-dates';
export { type FoundDate, findDates, formatFoundDate } from './dates/find-dates';
export { type EntityOptions, extractEntities, extractResolvedEntities } from './entities/extract-entities';
export type { ResolvedEntity } from './entities/resolve';
export { type ExtractInput, extractDocument } from './extract-document';
export {
  hammingDistance,
  MINHASH_PERMUTATIONS,
  MINHASH_SHINGLE_WORDS,
  minhashSignature,
  minhashSimilarity,
  SIMHASH_SHINGLE_WORDS,
  simhash64,
} from './fingerprints';
export { extractKeywords } from './keywords';
export { detectLanguage } from './language';
export { extractQuotes } from './quotes';
export { summarize } from './summary';
export { extractTitle, stripSiteName } from './title';
