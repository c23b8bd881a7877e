import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { gunzipSync } from 'node:zlib';
import { cleanDocument } from '@sluice/clean';
import { documentIdForContent } from '@sluice/contracts';
import { extractDocument } from '@sluice/extract';
import type { Command } from './index';

interface ExtractInput {
  id?: string;
  url?: string;
  html?: string;
  text?: string;
  file?: string;
}

/**
 * Offline extraction: the same clean + extract functions the workers run, over JSON lines,
 * with no Redis or database. One output line per input line, in order; a bad line yields
 * `{id, error}` and the run goes on.
 */
export async function extractLine(line: string): Promise<Record<string, unknown>> {
  let input: ExtractInput;
  try {
    input = JSON.parse(line) as ExtractInput;
  } catch (error) {
    return { id: null, error: `not a JSON line: ${(error as Error).message}` };
  }
  const id = input.id ?? null;
  try {
    const { body, contentType } = await bodyOf(input);
    const cleaned = cleanDocument({ body, contentType, url: input.url ?? null });
    const document = extractDocument({
      id: id ?? documentIdForContent(typeof body === 'string' ? body : Buffer.from(body)),
      cleaned,
      url: input.url ?? null,
      fetchedAt: new Date().toISOString(),
    });
    return {
      id,
      title: document.title ?? null,
      text: document.text,
      byline: document.byline ?? null,
      publishedAt: document.publishedAt ?? null,
      lang: document.lang ?? null,
      siteName: document.siteName ?? null,
      canonicalUrl: document.canonicalUrl ?? null,
      description: document.description ?? null,
      entities: document.entities,
      authors: document.authors,
      modifiedAt: document.modifiedAt ?? null,
      publishedAtSource: document.publishedAtSource ?? null,
      quotes: document.quotes,
      keywords: document.keywords,
      summary: document.summary ?? null,
      fingerprints: document.fingerprints ?? null,
    };
  } catch (error) {
    return { id, error: (error as Error).message };
  }
}

async function bodyOf(
  input: ExtractInput,
): Promise<{ body: Uint8Array | string; contentType: string | null }> {
  if (typeof input.html === 'string') return { body: input.html, contentType: 'text/html' };
  if (typeof input.text === 'string') return { body: input.text, contentType: 'text/plain' };
  if (typeof input.file === 'string') {
    const bytes = await readFile(input.file);
    const isGzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
    // Raw bytes: the cleaner's own charset sniffing decides how to decode them.
    return { body: isGzip ? gunzipSync(bytes) : bytes, contentType: null };
  }
  throw new Error('a line needs "html", "text" or "file"');
}

export const extractCommand: Command = {
  async run(argv) {
    const files = argv.filter((arg) => !arg.startsWith('--'));
    if (!argv.includes('--jsonl'))
      throw new Error('only --jsonl input is supported: sluice extract --jsonl [FILE]');
    const { createReadStream } = await import('node:fs');
    const input = files[0] ? createReadStream(files[0]) : process.stdin;
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      const output = `${JSON.stringify(await extractLine(line))}\n`;
      if (!process.stdout.write(output))
        await new Promise((resolve) => process.stdout.once('drain', resolve));
    }
    return 0;
  },
};
