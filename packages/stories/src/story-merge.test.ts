import { describe, expect, it } from 'vitest';
import { TermFrequencyTable } from './document-frequencies';
import { entityKeys } from './story-entities';
import { documentFeatures } from './story-features';
import { fieldTermCounts, frequencyKeys } from './story-fields';
import { isRareName, mayMerge, mergeCandidate, sharedFullNames } from './story-merge';
import { DEFAULT_STORY_MODEL, type StoryModel } from './story-model';
import { profileOf, type StoryProfile } from './story-profile';

const DAY = 86_400_000;
const start = Date.parse('2015-06-01T12:00:00Z');

/** An index of `filler` unrelated documents, then the given ones: the counts `mayMerge` reads. */
function indexWith(filler: number, texts: readonly string[]): TermFrequencyTable {
  const table = new TermFrequencyTable();
  for (let i = 0; i < filler; i += 1)
    table.add(frequencyKeys(fieldTermCounts({ title: `Council meeting number ${i}`, lead: 'Budget vote' })));
  for (const text of texts) table.add(frequencyKeys(fieldTermCounts({ title: text })));
  return table;
}

/** A story of one article (a lead, so the article model decides, not the headline one). */
function storyOf(title: string, people: readonly string[], days: number, source: string): StoryProfile {
  const counts = fieldTermCounts({ title, lead: `${title}. Police said the investigation continues.` });
  const entities = entityKeys(people.map((name) => ({ type: 'person', name })));
  return profileOf(documentFeatures(counts, new TermFrequencyTable(), entities, start + days * DAY, source));
}

const modelWithShare = (share: number | undefined): StoryModel => {
  const { mergeRareNameShare: _share, ...rest } = DEFAULT_STORY_MODEL;
  return share === undefined ? rest : { ...rest, mergeRareNameShare: share };
};

describe('merges past the join window on a shared rare name', () => {
  const shooting = storyOf(
    'Man shot dead outside bar; Jalen Okafor named',
    ['Jalen Okafor'],
    0,
    'city-paper',
  );
  const trial = storyOf(
    'Trial opens for suspect in killing of Jalen Okafor',
    ['Jalen Okafor'],
    40,
    'tv-station',
  );
  const surnameOnly = storyOf('Okafor family sues landlord', ['Okafor'], 40, 'tv-station');

  it('counts only full names both stories name', () => {
    expect(sharedFullNames(shooting, trial)).toEqual(['person:jalen okafor']);
    expect(sharedFullNames(shooting, surnameOnly)).toEqual([]);
  });

  it('calls a name rare by its rarest word in the index, and nothing rare in an index too small to tell', () => {
    const big = indexWith(2000, ['Jalen Okafor shot', 'Okafor trial', 'Jalen wins prize']);
    expect(isRareName('person:jalen okafor', big, 0.01)).toBe(true);
    // Named in every document of a five-document index: no evidence it is rare.
    const small = indexWith(3, ['Jalen Okafor shot', 'Okafor trial']);
    expect(isRareName('person:jalen okafor', small, 0.01)).toBe(false);
    // A name the index never counted says nothing.
    expect(isRareName('person:nobody known', big, 0.01)).toBe(false);
  });

  it('lets two stories weeks apart from different sources merge only with the model share set and a rare shared name', () => {
    const big = indexWith(2000, ['Jalen Okafor shot', 'Okafor trial']);
    expect(mayMerge(shooting, trial, modelWithShare(undefined), big)).toBe(false);
    expect(mayMerge(shooting, trial, modelWithShare(0.01), null)).toBe(false);
    expect(mayMerge(shooting, trial, modelWithShare(0.01), big)).toBe(true);
    expect(mayMerge(shooting, surnameOnly, modelWithShare(0.01), big)).toBe(false);
    // A rare name neither story has in its titles: someone quoted in both, not what they are about.
    const quotedA = storyOf('Man shot dead outside bar', ['Jalen Okafor'], 0, 'city-paper');
    const quotedB = storyOf('Trial opens in bar killing', ['Jalen Okafor'], 40, 'tv-station');
    expect(mayMerge(quotedA, quotedB, modelWithShare(0.01), big)).toBe(false);
    expect(mayMerge(quotedA, trial, modelWithShare(0.01), big)).toBe(true);
    // The same name in most documents (an official every report quotes) is not rare.
    const common = indexWith(
      20,
      Array.from({ length: 30 }, () => 'Jalen Okafor says'),
    );
    expect(mayMerge(shooting, trial, modelWithShare(0.01), common)).toBe(false);
  });

  it('passes the rare-name evidence through mergeCandidate to the merge decision', () => {
    const big = indexWith(2000, ['Jalen Okafor shot', 'Okafor trial']);
    const model = modelWithShare(0.01);
    const candidates = [{ id: 'shooting', profile: shooting }];
    // Without the counts the candidate is not even scored; with them it is (merged or not by the model).
    expect(mergeCandidate(trial, candidates, model, undefined, null).best).toBeNull();
    expect(mergeCandidate(trial, candidates, model, undefined, big).best?.id).toBe('shooting');
  });
});
