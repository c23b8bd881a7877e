import { describe, expect, it } from 'vitest';
import { bcubed } from './bcubed';
import { fitLogistic, linearScore } from './linear-model';
import { StoryClusterer } from './story-clusterer';
import { entityKeys } from './story-entities';
import { mayMerge } from './story-merge';
import { DEFAULT_STORY_MODEL, STORY_MODEL_VERSION } from './story-model';

const HOUR = 3_600_000;
const start = Date.parse('2014-03-10T12:00:00Z');

describe('StoryClusterer', () => {
  it('groups reports of one event and keeps other events apart', () => {
    const clusterer = new StoryClusterer();
    const reports = [
      [
        '1',
        'Malaysia Airlines flight MH370 missing',
        'Malaysia Airlines said flight MH370 from Kuala Lumpur to Beijing lost contact with air traffic control over the South China Sea with 239 people on board.',
        0,
      ],
      [
        '2',
        'Apple unveils iPhone with larger screen',
        'Apple showed a new iPhone with a larger screen and a faster chip at its event in Cupertino on Tuesday.',
        1,
      ],
      [
        '3',
        'Search widens for missing flight MH370',
        'Ships and aircraft from several countries widened the search for Malaysia Airlines flight MH370, missing since it lost contact over the South China Sea.',
        2,
      ],
      [
        '4',
        'Fed holds interest rates steady',
        'The Federal Reserve kept its benchmark interest rate unchanged and said it would be patient about raising it.',
        3,
      ],
      [
        '5',
        'MH370 search area expanded',
        'Malaysia expanded the search area for flight MH370 to the Strait of Malacca, officials said, as relatives of the 239 people on board waited in Beijing.',
        5,
      ],
      [
        '6',
        'Apple iPhone orders beat expectations',
        'Orders for the new iPhone with the larger screen beat expectations, Apple said, days after the Cupertino event.',
        30,
      ],
    ] as const;
    const stories = new Map<string, string>(
      reports.map(([id, title, lead, hours]) => [
        id,
        clusterer.add({ id, title, lead, time: start + hours * HOUR }).storyId,
      ]),
    );
    expect(stories.get('3')).toBe(stories.get('1'));
    expect(stories.get('6')).toBe(stories.get('2'));
    // Nothing crosses events (a cold index of six documents is allowed to leave one report alone).
    const events = [['1', '3', '5'], ['2', '6'], ['4']];
    for (const [index, event] of events.entries())
      for (const other of events.slice(index + 1))
        for (const id of event)
          for (const otherId of other) expect(stories.get(id)).not.toBe(stories.get(otherId));
  });

  it('does not join a story that went quiet outside the time window', () => {
    const clusterer = new StoryClusterer();
    const first = clusterer.add({
      id: 'a',
      title: 'Volcano erupts in Iceland, flights grounded',
      time: start,
    });
    const later = clusterer.add({
      id: 'b',
      title: 'Volcano erupts in Iceland, flights grounded',
      time: start + 120 * 24 * HOUR,
    });
    expect(later.storyId).not.toBe(first.storyId);
    expect(later.created).toBe(true);
  });

  it('merges two stories into one and resolves the old id', () => {
    const clusterer = new StoryClusterer();
    const a = clusterer.add({ id: 'a', title: 'Senate passes budget', time: start });
    const b = clusterer.add({ id: 'b', title: 'Storm floods coast', time: start });
    clusterer.merge(a.storyId, b.storyId);
    expect(clusterer.resolve(b.storyId)).toBe(a.storyId);
    expect(clusterer.story(b.storyId)?.documentIds).toEqual(['a', 'b']);
  });

  it('repairs a split: two stories of one event merge, and an unrelated one stays apart', () => {
    const clusterer = new StoryClusterer();
    const report = (id: string, hours: number, source: string) => ({
      id,
      title: 'Gunman kills two at Riverside mall in Springfield',
      lead: 'Two people were shot dead at the Riverside mall in Springfield on Saturday, police said.',
      body: 'Police chief Dana Whitfield said officers arrested a 24-year-old man near the food court. The victims were named as Carla Mendes and Paul Okafor.',
      entities: [
        { type: 'place', name: 'Springfield' },
        { type: 'person', name: 'Dana Whitfield' },
        { type: 'person', name: 'Carla Mendes' },
      ],
      time: start + hours * HOUR,
      source,
    });
    // Placed apart on purpose, as an arrival order can leave them.
    const a = clusterer.featuresOf(report('a', 0, 'springfield-news'));
    clusterer.place('a', a, null);
    const b = clusterer.featuresOf(report('b', 3, 'state-wire'));
    clusterer.place('b', b, null);
    const other = clusterer.add({
      id: 'c',
      title: 'Fed holds interest rates steady',
      time: start + 2 * HOUR,
    });
    const merges = clusterer.repair();
    expect(merges).toHaveLength(1);
    expect(clusterer.resolve('a')).toBe(clusterer.resolve('b'));
    expect(clusterer.resolve(other.storyId)).not.toBe(clusterer.resolve('a'));
    // Nothing changed since: the next pass has nothing to examine.
    expect(clusterer.repair()).toEqual([]);
  });

  it('merges past the join window only stories that share a source', () => {
    const clusterer = new StoryClusterer();
    const profileAt = (id: string, days: number, source: string) => {
      const features = clusterer.featuresOf({
        id,
        title: 'Trial opens in mall shooting',
        time: start + days * 24 * HOUR,
        source,
      });
      clusterer.place(id, features, null);
      return clusterer.story(id)!.profile;
    };
    const first = profileAt('x', 0, 'springfield-news');
    const sameOutlet = profileAt('y', 40, 'springfield-news');
    const otherOutlet = profileAt('z', 40, 'state-wire');
    const nearOtherOutlet = profileAt('w', 2, 'state-wire');
    expect(mayMerge(first, sameOutlet, DEFAULT_STORY_MODEL)).toBe(true);
    expect(mayMerge(first, otherOutlet, DEFAULT_STORY_MODEL)).toBe(false);
    expect(mayMerge(first, nearOtherOutlet, DEFAULT_STORY_MODEL)).toBe(true);
  });
});

describe('the story model', () => {
  it('ships a fitted model of the current format, with a headline model inside', () => {
    expect(DEFAULT_STORY_MODEL.version).toBe(STORY_MODEL_VERSION);
    expect(DEFAULT_STORY_MODEL.ranker.weights).toHaveLength(DEFAULT_STORY_MODEL.ranker.features.length);
    expect(DEFAULT_STORY_MODEL.decision.weights.some((weight) => weight !== 0)).toBe(true);
    expect(DEFAULT_STORY_MODEL.headlines?.decision.features).toEqual(DEFAULT_STORY_MODEL.decision.features);
  });

  it('learns a separating weight with logistic regression', () => {
    const rows = Array.from({ length: 200 }, (_, i) => [i % 2, (i * 7) % 5]);
    const labels = rows.map(([x]) => x!);
    const model = fitLogistic(['signal', 'noise'], rows, labels);
    expect(model.weights[0]).toBeGreaterThan(1);
    expect(Math.abs(model.weights[1]!)).toBeLessThan(model.weights[0]! / 4);
    expect(linearScore(model, [1, 0])).toBeGreaterThan(0);
    expect(linearScore(model, [0, 0])).toBeLessThan(0);
  });

  it('matches a person by surname once a story named them in full', () => {
    const [full] = entityKeys([{ type: 'person', name: 'Shilo Thomas', aliases: ['Thomas'] }]);
    const [short] = entityKeys([{ type: 'person', name: 'Thomas' }]);
    expect(full!.keys).toContain('person:thomas');
    expect(short!.keys.some((key) => full!.keys.includes(key))).toBe(true);
  });
});

describe('bcubed', () => {
  it('is perfect for the gold clustering and penalises merging everything', () => {
    const gold = new Map([
      ['1', 'x'],
      ['2', 'x'],
      ['3', 'y'],
      ['4', 'y'],
    ]);
    expect(bcubed(gold, gold)).toEqual({ precision: 1, recall: 1, f1: 1 });
    const oneCluster = new Map([...gold.keys()].map((id) => [id, 'all']));
    expect(bcubed(oneCluster, gold)).toMatchObject({ precision: 0.5, recall: 1 });
    const singletons = new Map([...gold.keys()].map((id) => [id, id]));
    expect(bcubed(singletons, gold)).toMatchObject({ precision: 1, recall: 0.5 });
  });
});
