import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeeds, SEEDS_DIR, type Seed, seedsAvailable } from '../support/seeds';
import {
  type DocumentView,
  postDocument,
  type Servers,
  type Stack,
  startServers,
  startStack,
  waitForDocuments,
} from '../support/stack';

const available = seedsAvailable();
if (!available) console.warn(`seeds test skipped: ${SEEDS_DIR} is absent on this machine`);

describe.skipIf(!available)('the five seed articles through the running pipeline', () => {
  let servers: Servers;
  let stack: Stack;
  let seeds: Seed[];
  const views = new Map<string, DocumentView>();

  beforeAll(async () => {
    servers = await startServers();
    stack = await startStack(servers);
    seeds = loadSeeds();
    const ids = await Promise.all(
      seeds.map((seed) =>
        postDocument(stack.api.url, { text: seed.text, url: seed.url ?? undefined, source: seed.source }),
      ),
    );
    const results = await waitForDocuments(stack.api.url, ids, 90_000);
    seeds.forEach((seed, index) => {
      views.set(seed.file, results[index] as DocumentView);
    });
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
    await servers?.stop();
  });

  const textOf = (prefix: string) => {
    const entry = [...views.entries()].find(([file]) => file.startsWith(prefix));
    return String(entry?.[1].document?.text ?? '');
  };

  it('gives five searchable, indexed documents', () => {
    expect(seeds).toHaveLength(5);
    for (const [file, view] of views) expect(view.status, `${file}: ${view.failedReason}`).toBe('indexed');
  });

  it('finds the four articles that mention Mottaki', async () => {
    const result = (await (await fetch(`${stack.api.url}/search?q=Mottaki&limit=10`)).json()) as {
      total: number;
      hits: { id: string }[];
    };
    const mentioning = [...views.values()].filter((view) => String(view.document?.text).includes('Mottaki'));
    expect(mentioning).toHaveLength(4);
    expect(result.total).toBe(4);
    expect(new Set(result.hits.map((hit) => hit.id))).toEqual(new Set(mentioning.map((view) => view.id)));
  });

  it("strips the sites' boilerplate from the indexed text", () => {
    for (const prefix of ['001', '002']) {
      expect(textOf(prefix)).not.toContain('Largest Security-Cleared Career Network');
      expect(textOf(prefix)).not.toContain('JOIN NOW');
      expect(textOf(prefix)).not.toContain('Join the mailing list');
    }
    expect(textOf('003')).not.toContain('BBC Home');
    expect(textOf('003')).not.toContain('Explore the BBC');
    expect(textOf('004')).not.toMatch(/XS\s+SM\s+MD\s+LG/);
  });

  it('titles each document with its headline', () => {
    for (const seed of seeds) expect(views.get(seed.file)?.document?.title).toBe(seed.title);
  });
});
