import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { ApiError, callApi } from '../api-client';
import type { IngestItem } from './inputs';

/** A document the item could not become: reported and skipped, the batch goes on. */
export class ItemProblem extends Error {}

/** The POST /documents body for an item. Files go as bytes (base64): the cleaner sniffs their type and charset. */
export async function requestBody(item: IngestItem): Promise<Record<string, string>> {
  if (item.problem) throw new ItemProblem(item.problem);
  const body: Record<string, string> = {};
  if (item.url) body.url = item.url;
  if (item.source) body.source = item.source;
  if (item.publishedAt) body.publishedAt = new Date(item.publishedAt).toISOString();
  if (item.file) {
    let bytes: Buffer;
    try {
      bytes = await readFile(item.file);
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
    } catch (error) {
      throw new ItemProblem(
        `cannot read ${item.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    if (bytes.length === 0) throw new ItemProblem('the file is empty');
    body.base64 = bytes.toString('base64');
  } else if (item.text !== undefined) {
    if (item.text.trim() === '') throw new ItemProblem('the text is empty');
    body.text = item.text;
  }
  return body;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends one item; resolves with the document id. A refusal of the document (4xx) is an
 * ItemProblem with the API's reason. When the API asks to slow down (429, 503) the item waits
 * as long as Retry-After says and is sent again; other errors (the API unreachable) propagate.
 */
export async function submitItem(item: IngestItem, signal: AbortSignal): Promise<string> {
  const body = await requestBody(item);
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await callApi('POST', '/documents', body);
      return ((await response.json()) as { id: string }).id;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 429 || error.status === 503) {
        if (signal.aborted) throw error;
        await sleep(error.retryAfterMs ?? Math.min(30_000, 500 * 2 ** attempt));
        continue;
      }
      if (error.status >= 400 && error.status < 500 && error.status !== 401 && error.status !== 403)
        throw new ItemProblem(error.message.replace(/^POST \/documents: /, '').replace(/ \[.*\]$/, ''));
      throw error;
    }
  }
}
