import { afterAll, describe, expect, it } from 'vitest';
import { RSS2 } from './fixtures/sample-feeds';
import { FeedParseError, parseFeedText, parseFeedTextOffLoop } from './parse-feed';
import { FeedParsePool, FeedParseTimeoutError } from './parse-pool';

const pool = new FeedParsePool({ size: 1, timeoutMs: 20_000 });
afterAll(() => pool.close());

/** One item whose escaped description is about 3 MiB: the slowest shape for the XML parser. */
function hugeItemFeed(): string {
  const paragraph =
    '&lt;p&gt;Lorem ipsum dolor sit amet, &lt;b&gt;consectetur&lt;/b&gt; elit &amp;amp; more.&lt;/p&gt;\n';
  const body = paragraph.repeat(Math.ceil((3 * 1024 * 1024) / paragraph.length));
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title><link>https://big.example/</link><item><title>One</title><link>https://big.example/one</link><description>${body}</description></item></channel></rss>`;
}

/** The longest gap between ticks of a 5 ms interval while `work` runs. */
async function longestTimerGap(work: () => Promise<unknown>): Promise<number> {
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  try {
    await new Promise((resolve) => setTimeout(resolve, 20));
    last = performance.now();
    await work();
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    clearInterval(timer);
  }
  return longest;
}

describe('parseFeedTextOffLoop', () => {
  it('gives the same result as the inline parse, small feeds inline, large ones in a thread', async () => {
    const options = { feedUrl: 'https://news.example/feed', maxItems: 50, pool };
    expect(await parseFeedTextOffLoop(RSS2, options)).toEqual(parseFeedText(RSS2, options));
    expect(pool.threads).toBe(0);
    expect(await parseFeedTextOffLoop(RSS2, { ...options, offloadChars: 10 })).toEqual(
      parseFeedText(RSS2, options),
    );
    expect(pool.threads).toBe(1);
    await expect(parseFeedTextOffLoop('{not json', { ...options, offloadChars: 1 })).rejects.toThrow(
      FeedParseError,
    );
    await expect(
      parseFeedTextOffLoop('<html>no feed</html>', { ...options, offloadChars: 1 }),
    ).rejects.toThrow(FeedParseError);
  });

  it('keeps the event loop responsive while a 3 MiB single-item feed parses', async () => {
    const text = hugeItemFeed();
    const options = { feedUrl: 'https://big.example/feed', pool };
    await parseFeedTextOffLoop(RSS2, { ...options, offloadChars: 1 }); // thread started
    let parsed: Awaited<ReturnType<typeof parseFeedTextOffLoop>> | undefined;
    const gap = await longestTimerGap(async () => {
      parsed = await parseFeedTextOffLoop(text, options);
    });
    expect(parsed?.items).toHaveLength(1);
    expect(parsed?.items[0]?.summary?.length).toBeGreaterThan(2_000_000);
    // Inline, this parse holds the loop for 150-270 ms on the development machine.
    expect(gap).toBeLessThan(120);
  }, 60_000);

  it('abandons a parse that runs past its time limit and recovers for the next one', async () => {
    const hasty = new FeedParsePool({ size: 1, timeoutMs: 1 });
    try {
      await expect(hasty.parse(hugeItemFeed(), false)).rejects.toThrow(FeedParseTimeoutError);
      expect(hasty.threads).toBe(0);
    } finally {
      await hasty.close();
    }
    const result = await pool.parse(RSS2, false);
    expect(result).toMatchObject({ ok: true, format: 'rss' });
  });
});
