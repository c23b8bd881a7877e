import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** One document to send: a file to read, a URL to fetch, or text given inline (manifest). */
export interface IngestItem {
  /** How the user named it: the path, the URL, or `manifest.jsonl:12`. */
  label: string;
  file?: string;
  text?: string;
  url?: string;
  source?: string;
  publishedAt?: string;
  /** Known bad before sending (a manifest line that does not parse): reported, never sent. */
  problem?: string;
}

const isUrl = (value: string) => /^https?:\/\//i.test(value);

/**
 * Positional inputs as items: URLs as they are, directories as their files (sorted, hidden files
 * and `.json` sidecars left out). A path that does not exist is an item with a problem, so it is
 * reported beside the others instead of stopping the batch.
 */
export async function expandPaths(paths: string[], defaults: { source?: string; url?: string }) {
  const items: IngestItem[] = [];
  for (const path of paths) {
    if (isUrl(path)) {
      items.push({ label: path, url: path, source: defaults.source });
      continue;
    }
    const info = await stat(path).catch(() => null);
    if (!info) {
      items.push({ label: path, problem: 'no such file, directory or URL' });
    } else if (info.isDirectory()) {
      const names = (await readdir(path))
        .filter((name) => !name.startsWith('.') && !name.endsWith('.json'))
        .sort();
      for (const name of names) {
        const file = join(path, name);
        if ((await stat(file)).isFile()) items.push({ label: file, file, source: defaults.source });
      }
    } else {
      items.push({ label: path, file: path, source: defaults.source });
    }
  }
  if (defaults.url) {
    const files = items.filter((item) => item.file);
    if (files.length !== 1)
      throw new Error(
        '--url names the address of exactly one file; for many, use --manifest with a "url" per line',
      );
    (files[0] as IngestItem).url = defaults.url;
  }
  return items;
}

interface ManifestLine {
  file?: unknown;
  text?: unknown;
  url?: unknown;
  source?: unknown;
  publishedAt?: unknown;
}

/**
 * One manifest line as an item. `file` paths are relative to the manifest's folder; a line
 * needs `file`, `text` or `url`. A bad line becomes an item with a problem.
 */
export function manifestItem(
  line: string,
  where: string,
  manifestDir: string,
  defaultSource?: string,
): IngestItem {
  let entry: ManifestLine;
  try {
    entry = JSON.parse(line) as ManifestLine;
  } catch (error) {
    return { label: where, problem: `not a JSON line: ${(error as Error).message}` };
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    return { label: where, problem: 'a manifest line is a JSON object' };
  const text = (key: keyof ManifestLine) =>
    typeof entry[key] === 'string' ? (entry[key] as string) : undefined;
  const item: IngestItem = {
    label: where,
    url: text('url'),
    source: text('source') ?? defaultSource,
    publishedAt: text('publishedAt'),
  };
  const file = text('file');
  if (file) {
    item.file = isAbsolute(file) ? file : resolve(manifestDir, file);
    item.label = `${where} ${file}`;
  } else if (text('text') !== undefined) item.text = text('text');
  else if (item.url) item.label = `${where} ${item.url}`;
  else item.problem = 'a manifest line needs "file", "text" or "url"';
  if (item.publishedAt !== undefined && Number.isNaN(Date.parse(item.publishedAt)))
    item.problem = `publishedAt is not a date: ${item.publishedAt}`;
  return item;
}

/** Every line of a JSON-lines manifest as an item, read as a stream. */
export async function readManifest(path: string, defaultSource?: string): Promise<IngestItem[]> {
  const items: IngestItem[] = [];
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    items.push(manifestItem(line, `${path}:${number}`, dirname(path), defaultSource));
  }
  return items;
}
