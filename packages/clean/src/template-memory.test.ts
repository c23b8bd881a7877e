import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanText } from './clean-text';
import { TemplateMemory } from './template-memory';
import { startTestRedis, type TestRedis } from './test-redis';

const server = await startTestRedis();
if (!server) console.log('template memory tests skipped: no redis-server binary and no TEST_REDIS_URL');

/** A site whose every page opens with a banner and a section name and ends with a promo. */
function page(n: number, shared = ''): string {
  return [
    'Example Daily - your trusted source',
    'Politics',
    `Story number ${n} has a headline`,
    `The council met on day ${n} and agreed on a budget that surprised many residents of the town.`,
    shared,
    'Continue reading the main story',
    `Officials said the plan number ${n} would be reviewed again, after a public consultation in spring.`,
    'Get the morning briefing',
  ]
    .filter(Boolean)
    .join('\n\n');
}

describe.skipIf(!server)('TemplateMemory against a real Redis', () => {
  let redis: Redis;
  let redisServer: TestRedis;
  beforeAll(() => {
    redisServer = server as TestRedis;
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    await redis?.quit();
    await redisServer?.stop();
  });

  it('knows nothing about a host it has not seen', async () => {
    const memory = new TemplateMemory(redis, { keyPrefix: `{sluice}:template:t1:` });
    expect(await memory.hintsFor('example.com', page(1))).toEqual({ boilerplate: [] });
  });

  it('learns lines that repeat at the edges of a host’s documents and drops them', async () => {
    const memory = new TemplateMemory(redis, { keyPrefix: `{sluice}:template:t2:` });
    for (let n = 1; n <= 4; n++) await memory.learn('example.com', page(n));
    const text = page(5);
    // Without memory, a short line between paragraphs could be a subheading and stays.
    expect(cleanText(text).text).toContain('Continue reading the main story');
    const hints = await memory.hintsFor('example.com', text);
    const cleaned = cleanText(text, { template: hints });
    expect(cleaned.text).not.toContain('Continue reading the main story');
    expect(cleaned.text).toContain('The council met on day 5');
    expect(cleaned.text).toContain('Officials said the plan number 5');
    // Another host's documents teach nothing about this one.
    expect(await memory.hintsFor('other.example', text)).toEqual({ boilerplate: [] });
  });

  it('keeps paragraphs that several articles of the host share', async () => {
    const memory = new TemplateMemory(redis, { keyPrefix: `{sluice}:template:t3:` });
    const shared =
      'Iran has denied supplying weapons and training to militias in the region, the ministry said.';
    for (let n = 1; n <= 5; n++) await memory.learn('example.com', page(n, shared));
    const text = page(6, shared);
    const cleaned = cleanText(text, { template: await memory.hintsFor('example.com', text) });
    expect(cleaned.text).toContain(shared);
  });

  const seedsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/seeds');
  it.skipIf(!existsSync(seedsDir))(
    'keeps the paragraphs seeds 001 and 002 share after learning both',
    async () => {
      const memory = new TemplateMemory(redis, { keyPrefix: `{sluice}:template:t4:` });
      const files = ['001_47ccca0ec8c0b6f0.txt', '002_732b8242f104654e.txt'];
      const texts = files.map((file) => readFileSync(resolve(seedsDir, file), 'utf8'));
      for (let round = 0; round < 3; round++)
        for (const text of texts) await memory.learn('globalsecurity.org', text);
      const text = texts[0] as string;
      const cleaned = cleanText(text, { template: await memory.hintsFor('globalsecurity.org', text) });
      expect(cleaned.text).toContain(
        "Iran has denied supplying weapons and training to Shi'ite militias in Iraq.",
      );
      expect(cleaned.text).toContain(
        'The United States and Iran have had little official contact for 27 years.',
      );
    },
  );

  it('bounds a host’s memory and sets an expiry', async () => {
    const prefix = '{sluice}:template:t5:';
    const memory = new TemplateMemory(redis, { keyPrefix: prefix, maxLinesPerHost: 20 });
    for (let n = 0; n < 30; n++) await memory.learn('big.example', `Unique chrome ${n}\n\nMore chrome ${n}`);
    expect(await redis.hlen(`${prefix}big.example`)).toBeLessThanOrEqual(21);
    expect(await redis.ttl(`${prefix}big.example`)).toBeGreaterThan(0);
  });
});
