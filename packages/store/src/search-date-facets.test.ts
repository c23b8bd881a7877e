import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from './database';
import { DocumentStore } from './document-store';
import { countMatchesByPeriod, searchTimeSpan } from './search-date-facets';
import { SearchParamError } from './search-documents';
import { BACKENDS, freshDatabase } from './test-databases';
import { extractedDocument, testId } from './test-documents';

describe.each(BACKENDS)('the date facet on %s', (backend) => {
  let db: Database | null = null;
  afterEach(async () => {
    await db?.close();
    db = null;
  });

  /** Port strikes on 1-7 May 2024 (even days from even.example), and a flood on 20 May. */
  const load = async () => {
    db = await freshDatabase(backend);
    const store = new DocumentStore(db);
    await store.indexDocuments([
      ...Array.from({ length: 7 }, (_, index) =>
        extractedDocument({
          id: testId(`p${index}`),
          title: `Port strike day ${index}`,
          text: `Dock workers continued the strike on day ${index}, unions said.`,
          source: index % 2 === 0 ? 'even.example' : 'odd.example',
          publishedAt: `2024-05-0${index + 1}T12:00:00Z`,
        }),
      ),
      extractedDocument({
        id: testId('flood'),
        title: 'River floods the lower town',
        text: 'The river rose overnight and flooded the lower town; no strike is planned.',
        publishedAt: '2024-05-20T08:00:00Z',
      }),
    ]);
    return db;
  };

  it("counts a search's matches per period, with its filters, and spans the index or the story", async () => {
    const database = await load();
    expect(await searchTimeSpan(database, {})).toEqual({
      first: '2024-05-01T12:00:00.000Z',
      last: '2024-05-20T08:00:00.000Z',
    });
    // Cut to the search's own dates.
    expect(await searchTimeSpan(database, { from: '2024-05-03', to: '2024-05-05' })).toEqual({
      first: '2024-05-03T00:00:00.000Z',
      last: '2024-05-04T23:59:59.999Z',
    });
    expect(await searchTimeSpan(database, { from: '2025-01-01' })).toBeNull();

    const edges = ['2024-05-01', '2024-05-04', '2024-05-08', '2024-05-22'];
    const strike = await countMatchesByPeriod(database, { q: 'strike' }, edges);
    expect(strike).toEqual([
      { from: '2024-05-01T00:00:00.000Z', to: '2024-05-04T00:00:00.000Z', count: 3, capped: false },
      { from: '2024-05-04T00:00:00.000Z', to: '2024-05-08T00:00:00.000Z', count: 4, capped: false },
      { from: '2024-05-08T00:00:00.000Z', to: '2024-05-22T00:00:00.000Z', count: 1, capped: false },
    ]);
    // The query's syntax and the other filters apply; the search's own dates do not.
    const counts = async (params: Parameters<typeof countMatchesByPeriod>[1]) =>
      (await countMatchesByPeriod(database, params, edges)).map((period) => period.count);
    expect(await counts({ q: 'strike -river', from: '2024-05-10' })).toEqual([3, 4, 0]);
    expect(await counts({ q: 'strike', source: 'even.example' })).toEqual([2, 2, 0]);
    expect(await counts({ q: '-strike' })).toEqual([0, 0, 0]);
    expect(await counts({})).toEqual([3, 4, 1]);
    // Grouped by story, as the search page shows it: never more than the documents.
    const grouped = await counts({ q: 'strike', onePerStory: true });
    expect(grouped.every((count, index) => count >= 1 && count <= [3, 4, 1][index]!)).toBe(true);

    const store = new DocumentStore(database);
    const storyId = (await store.getDocument(testId('flood')))?.storyId as string;
    expect(await searchTimeSpan(database, { story: storyId })).toEqual({
      first: '2024-05-20T08:00:00.000Z',
      last: '2024-05-20T08:00:00.000Z',
    });
    expect(await counts({ story: storyId })).toEqual([0, 0, 1]);
  });

  it('refuses bad edges and filters as a search does', async () => {
    db = await freshDatabase(backend);
    const database = db;
    await expect(countMatchesByPeriod(database, {}, ['yesterday', '2024-05-02'])).rejects.toThrow(
      SearchParamError,
    );
    await expect(
      countMatchesByPeriod(database, { lang: 'english!' }, ['2024-05-01', '2024-05-02']),
    ).rejects.toThrow(SearchParamError);
    expect(await countMatchesByPeriod(database, {}, ['2024-05-01'])).toEqual([]);
  });

  it('counts a broad search period by period, each stopping at the cap, and says so', async () => {
    const database = await load();
    const edges = ['2024-05-01', '2024-05-04', '2024-05-08', '2024-05-22'];
    // Eight matches in all: past a probe of five, so each period is counted on its own, up to 3.
    const periods = await countMatchesByPeriod(database, {}, edges, { cap: 3, probeSize: 5 });
    expect(periods.map(({ count, capped }) => ({ count, capped }))).toEqual([
      { count: 3, capped: false },
      { count: 3, capped: true },
      { count: 1, capped: false },
    ]);
    const strike = await countMatchesByPeriod(database, { q: 'strike -river' }, edges, {
      cap: 2,
      probeSize: 3,
    });
    expect(strike.map(({ count, capped }) => `${count}${capped ? '+' : ''}`)).toEqual(['2+', '2+', '0']);
    // Within the probe every count is exact, however large.
    const exact = await countMatchesByPeriod(database, {}, edges, { cap: 3, probeSize: 8 });
    expect(exact.map(({ count, capped }) => ({ count, capped }))).toEqual([
      { count: 3, capped: false },
      { count: 4, capped: false },
      { count: 1, capped: false },
    ]);
  });

  it("reads only each period's newest part when the search says it is broad, widening a short one", async () => {
    const database = await load();
    const edges = ['2024-05-01', '2024-05-04', '2024-05-08', '2024-05-22'];
    // The caller's estimate (no probe) makes the 8 matches look like 1,000: each window, sized
    // for two of them, starts at the period's last hour and is widened twice (to 16 hours).
    const options = { estimate: 1000, window: 2, cap: 3 };
    const windowed = await countMatchesByPeriod(database, {}, edges, options);
    expect(windowed.map(({ count, capped }) => `${count}${capped ? '+' : ''}`)).toEqual(['1+', '1+', '0+']);
    // The documents' span keeps the last window off the days after the last document.
    const spanned = await countMatchesByPeriod(database, {}, edges, {
      ...options,
      span: { first: '2024-05-01T12:00:00Z', last: '2024-05-20T08:00:00Z' },
    });
    expect(spanned.map(({ count, capped }) => `${count}${capped ? '+' : ''}`)).toEqual(['1+', '1+', '1+']);
    // An estimate within the probe is counted exactly, as without one.
    const small = await countMatchesByPeriod(database, {}, edges, { estimate: 8 });
    expect(small.map(({ count }) => count)).toEqual([3, 4, 1]);
  });
});
