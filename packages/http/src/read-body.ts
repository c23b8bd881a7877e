import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { FetchError } from './fetch-error';

/** Decoders for a Content-Encoding header, in the order they must run (last applied first). */
export function decodersFor(contentEncoding: string | null | undefined): Transform[] {
  if (!contentEncoding) return [];
  const codings = contentEncoding
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding && coding !== 'identity');
  return codings.reverse().map((coding) => {
    if (coding === 'gzip' || coding === 'x-gzip') return createGunzip();
    if (coding === 'deflate') return createInflate();
    if (coding === 'br') return createBrotliDecompress();
    throw new FetchError('unsupported-encoding', `unsupported content-encoding: ${coding}`, {
      permanent: true,
    });
  });
}

/**
 * Reads a response body through its decoders, counting bytes after decompression so a gzip or
 * brotli bomb stops at `maxBytes` instead of filling memory. Throws `body-too-large` past the cap.
 */
export async function readBody(
  body: Readable,
  contentEncoding: string | null | undefined,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const decoders = decodersFor(contentEncoding);
  const chunks: Buffer[] = [];
  let total = 0;
  // pipeline() may report its own abort error instead of ours; keep the real reason.
  let overflow: FetchError | null = null;
  const collect = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      total += chunk.length;
      if (total > maxBytes) {
        overflow = new FetchError(
          'body-too-large',
          `body exceeds ${maxBytes} bytes after decoding (set FETCH_MAX_BYTES)`,
          {
            permanent: true,
          },
        );
        throw overflow;
      }
      chunks.push(chunk);
    }
  };
  try {
    const stages = [body, ...decoders, collect] as unknown as Parameters<typeof pipeline>[0][];
    await (pipeline as (...args: unknown[]) => Promise<void>)(...stages, signal ? { signal } : {});
  } catch (error) {
    if (overflow) throw overflow;
    if (error instanceof FetchError) throw error;
    if (signal?.aborted) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('Z_') || code.startsWith('ERR_BROTLI') || code === 'ERR__ERROR_FORMAT_PADDING_1') {
      throw new FetchError('bad-encoding', `body could not be decoded: ${(error as Error).message}`, {
        permanent: true,
        cause: error,
      });
    }
    throw error;
  }
  return Buffer.concat(chunks, total);
}
