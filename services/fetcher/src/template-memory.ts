import { decodeBody, sniffFormat, TemplateMemory } from '@sluice/clean';
import type { RedisClient } from '@sluice/worker-runtime';

/** One TemplateMemory per Redis connection, shared by every job of this fetcher copy. */
const memories = new WeakMap<RedisClient, TemplateMemory>();

export function templateMemoryFor(redis: RedisClient): TemplateMemory {
  let memory = memories.get(redis);
  if (!memory) {
    memory = new TemplateMemory(redis);
    memories.set(redis, memory);
  }
  return memory;
}

/**
 * Which site a document's template belongs to: its host, or failing that the source's name
 * (text from an API often has no URL but always a source).
 */
export function templateKeyOf(
  url: string | null | undefined,
  source: string | null | undefined,
): string | null {
  if (url) {
    try {
      return new URL(url).hostname.toLowerCase();
    } catch {
      // fall through to the source name
    }
  }
  return source?.trim() ? `source:${source.trim().toLowerCase()}` : null;
}

/** Plain text of the body, when the document is plain text; HTML has its own structure to go by. */
export function plainTextOf(body: Uint8Array | string, contentType: string | null): string | null {
  const text = typeof body === 'string' ? body : decodeBody(body, contentType).text;
  try {
    return sniffFormat(text, contentType) === 'text' ? text : null;
  } catch {
    return null; // binary: the cleaner rejects it with the reason
  }
}
