import type { Cluster, Redis } from 'ioredis';
import { classifyLines, linesOf } from './text/classify-lines';
import { isTemplateLine, type LinePosition, type TemplateHints, templateKeyOf } from './text/template';

export interface TemplateMemoryOptions {
  /** Prefix of every key; the braces keep a host's keys in one Redis Cluster slot. */
  keyPrefix?: string;
  /** A host's memory is forgotten after this many seconds without a new document. */
  ttlSeconds?: number;
  /** Most distinct lines remembered per host; past it the host starts afresh. */
  maxLinesPerHost?: number;
}

const DOCUMENTS_FIELD = '#documents';

interface CandidateLine {
  key: string;
  position: LinePosition;
  prose: boolean;
  words: number;
}

/** Lines of a document that could be template: prose in the body never is, so it is not counted. */
function candidateLines(text: string): CandidateLine[] {
  const seen = new Set<string>();
  const out: CandidateLine[] = [];
  for (const line of classifyLines(linesOf(text))) {
    if (line.position === 'body' && line.prose) continue;
    const key = templateKeyOf(line.text, line.position);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ key, position: line.position, prose: line.prose, words: line.words });
  }
  return out;
}

/**
 * Each host's template, learned from its documents and shared by every fetcher through Redis:
 * per host, one hash counting in how many documents each line appeared in the same position.
 */
export class TemplateMemory {
  private readonly keyPrefix: string;
  private readonly ttlSeconds: number;
  private readonly maxLinesPerHost: number;

  constructor(
    private readonly redis: Redis | Cluster,
    options: TemplateMemoryOptions = {},
  ) {
    this.keyPrefix = options.keyPrefix ?? '{sluice}:template:';
    this.ttlSeconds = options.ttlSeconds ?? 30 * 24 * 3600;
    this.maxLinesPerHost = options.maxLinesPerHost ?? 5000;
  }

  private keyOf(host: string): string {
    return `${this.keyPrefix}${host.toLowerCase()}`;
  }

  /** Which lines of `text` the host's past documents show to be template. */
  async hintsFor(host: string, text: string): Promise<TemplateHints> {
    const lines = candidateLines(text);
    if (lines.length === 0) return { boilerplate: [] };
    const counts = await this.redis.hmget(
      this.keyOf(host),
      DOCUMENTS_FIELD,
      ...lines.map((line) => line.key),
    );
    const documents = Number(counts[0] ?? 0);
    const boilerplate: string[] = [];
    lines.forEach((line, i) => {
      if (isTemplateLine(line, line.position, Number(counts[i + 1] ?? 0), documents))
        boilerplate.push(line.key);
    });
    return { boilerplate };
  }

  /** Counts one more document of the host. Call once per document. */
  async learn(host: string, text: string): Promise<void> {
    const key = this.keyOf(host);
    const lines = candidateLines(text);
    const size = await this.redis.hlen(key);
    const transaction = this.redis.multi();
    if (size + lines.length > this.maxLinesPerHost) transaction.del(key);
    transaction.hincrby(key, DOCUMENTS_FIELD, 1);
    for (const line of lines) transaction.hincrby(key, line.key, 1);
    transaction.expire(key, this.ttlSeconds);
    await transaction.exec();
  }
}
