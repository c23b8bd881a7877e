/**
 * The labelled story datasets under ../shared/datasets (beside the repository), read into the
 * story model's input, in publication order, each with a time split: the earlier events to fit
 * on, the later ones to score on.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanDocument } from '@sluice/clean';
import { extractDocument, extractEntities } from '@sluice/extract';
import { type ClusterInput, splitArticle } from '../src/index';

const here = dirname(fileURLToPath(import.meta.url));
export const SHARED = join(here, '../../../../shared');

export interface LabelledDocument extends ClusterInput {
  gold: string;
}

export interface StoryDataset {
  name: string;
  documents: LabelledDocument[];
}

/** gva-news-stories: full-text local news about shootings, one event per incident. */
export function loadGva(): StoryDataset | null {
  const file = join(SHARED, 'datasets/gva-news-stories/documents.jsonl');
  if (!existsSync(file)) return null;
  const documents = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const row = JSON.parse(line) as Record<string, string>;
      const { lead, body } = splitArticle(row.text!);
      return {
        id: row.id!,
        title: row.title!,
        lead,
        body,
        entities: extractEntities(`${row.title}\n\n${row.text}`),
        time: Date.parse(row.published!),
        source: row.source!,
        gold: row.event!,
      };
    });
  return { name: 'gva-news-stories', documents: inOrder(documents) };
}

/** uci-news-2014-03: headlines only, stories from the Google News clustering of the time. */
export function loadUci(): StoryDataset | null {
  const file = join(SHARED, 'datasets/uci-news-2014-03/newsCorpora.2014-03.tsv');
  if (!existsSync(file)) return null;
  const documents = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id, title, , publisher, , story, , timestamp] = line.split('\t');
      return {
        id: id!,
        title: title!,
        entities: extractEntities(title!),
        time: Number(timestamp),
        source: publisher!,
        gold: story!,
      };
    });
  return { name: 'uci-news-2014-03', documents: inOrder(documents) };
}

/** The five seed articles, cleaned and extracted as the pipeline does; two stories (000–002, 003–004). */
export function loadSeeds(): StoryDataset | null {
  const dir = join(SHARED, 'seeds');
  if (!existsSync(join(dir, 'index.json'))) return null;
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
    file: string;
    url: string | null;
    source: string;
  }[];
  const documents = index.map((seed) => {
    const cleaned = cleanDocument({
      body: readFileSync(join(dir, seed.file)),
      contentType: 'text/plain',
      url: seed.url,
    });
    const doc = extractDocument({ id: seed.file, cleaned, url: seed.url, fetchedAt: '2026-01-01T00:00:00Z' });
    return {
      id: seed.file.slice(0, 3),
      ...storyInputOf(doc),
      source: seed.source,
      gold: Number(seed.file.slice(0, 3)) <= 2 ? 'iran-talks-rejected' : 'iran-talks-offered',
    };
  });
  return { name: 'seeds', documents: inOrder(documents) };
}

/** What the indexer gives the story model for an extracted document. */
export function storyInputOf(doc: ReturnType<typeof extractDocument>) {
  const { lead, body } = splitArticle(doc.text, doc.description);
  return {
    title: doc.title ?? '',
    lead,
    body,
    entities: doc.entities,
    time: Date.parse(doc.publishedAt ?? doc.fetchedAt),
  };
}

function inOrder(documents: LabelledDocument[]): LabelledDocument[] {
  return documents.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Splits by time: events ordered by their first document; the earliest `fitShare` of them are
 * for fitting, the rest for scoring. No event is cut.
 */
export function splitByTime(
  dataset: StoryDataset,
  fitShare = 0.6,
): { fit: StoryDataset; held: StoryDataset } {
  const firstSeen = new Map<string, number>();
  for (const doc of dataset.documents) if (!firstSeen.has(doc.gold)) firstSeen.set(doc.gold, doc.time);
  const events = [...firstSeen.keys()];
  const fitEvents = new Set(events.slice(0, Math.round(events.length * fitShare)));
  return {
    fit: {
      name: `${dataset.name} (fit)`,
      documents: dataset.documents.filter((doc) => fitEvents.has(doc.gold)),
    },
    held: {
      name: `${dataset.name} (held apart)`,
      documents: dataset.documents.filter((doc) => !fitEvents.has(doc.gold)),
    },
  };
}
