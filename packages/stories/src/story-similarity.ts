import { ENTITY_TYPES } from './story-entities';
import type { DocumentFeatures } from './story-features';
import type { VectorField } from './story-fields';
import type { StoryProfile } from './story-profile';

const HOUR = 3_600_000;

/** Names of the similarity features between a document and a story, in `pairFeatures` order. */
export const PAIR_FEATURES = [
  'cos.title.w',
  'cos.title.s',
  'cos.lead.w',
  'cos.lead.s',
  'cos.body.w',
  'cos.body.s',
  'cos.title-lead.s',
  'cos.lead-title.s',
  'cos.max',
  'cos.title.nearest',
  ...ENTITY_TYPES.map((type) => `entities.${type}`),
  'entities.shared',
  'hours.outside',
  'hours.newest',
  'hours.oldest',
  'hours.mean',
  'size',
  'source.same',
  'source.share',
  'cos.max*outside',
] as const;

/** Cosine of a unit document vector with a summed story vector. */
export function cosine(vector: Map<string, number>, centroid: Map<string, number>): number {
  let dot = 0;
  for (const [term, weight] of vector) dot += weight * (centroid.get(term) ?? 0);
  if (dot === 0) return 0;
  let norm = 0;
  for (const weight of centroid.values()) norm += weight * weight;
  return dot / Math.sqrt(norm);
}

/** Share of the document's entities of `type` that the story's members name (0 when it names none). */
function entityShare(doc: DocumentFeatures, profile: StoryProfile, type: string | null): number {
  let total = 0;
  let shared = 0;
  for (const entity of doc.entities) {
    if (type !== null && entity.type !== type) continue;
    total += 1;
    if (entity.keys.some((key) => profile.entityCounts.has(key))) shared += 1;
  }
  return type === null ? shared : total === 0 ? 0 : shared / total;
}

const logHours = (ms: number) => Math.log1p(Math.abs(ms) / HOUR);

/** The similarity features of a document against one candidate story. */
export function pairFeatures(doc: DocumentFeatures, profile: StoryProfile): number[] {
  const cos = (docField: VectorField, storyField: VectorField = docField) =>
    cosine(doc.vectors[docField], profile.centroids[storyField]);
  const fields = [
    cos('title.w'),
    cos('title.s'),
    cos('lead.w'),
    cos('lead.s'),
    cos('body.w'),
    cos('body.s'),
    cos('title.s', 'lead.s'),
    cos('lead.s', 'title.s'),
  ];
  const best = Math.max(...fields);
  const outside = Math.max(0, doc.time - profile.lastSeen, profile.firstSeen - doc.time);
  const sameSource = doc.source ? (profile.sourceCounts.get(doc.source) ?? 0) : 0;
  let nearest = 0;
  for (const title of profile.recentTitles) {
    let dot = 0;
    for (const [term, weight] of doc.vectors['title.s']) dot += weight * (title.get(term) ?? 0);
    nearest = Math.max(nearest, dot);
  }
  return [
    ...fields,
    best,
    nearest,
    ...ENTITY_TYPES.map((type) => entityShare(doc, profile, type)),
    Math.log1p(entityShare(doc, profile, null)),
    logHours(outside),
    logHours(doc.time - profile.lastSeen),
    logHours(doc.time - profile.firstSeen),
    logHours(doc.time - profile.meanTime),
    Math.log1p(profile.documentCount),
    sameSource > 0 ? 1 : 0,
    sameSource / Math.max(profile.documentCount, 1),
    best * logHours(outside),
  ];
}
