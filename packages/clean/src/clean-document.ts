import { type CleanedDocument, normalizeStrings } from '@sluice/contracts';
import { cleanHtml } from './clean-html';
import { cleanText } from './clean-text';
import { type CharsetSource, decodeBody, replacementRatio } from './decode';
import { DocumentRejectedError } from './errors';
import { formatSize } from './format-size';
import { MAX_BODY_BYTES } from './limits';
import { sniffFormat } from './sniff';
import type { TemplateHints } from './text/template';

export interface CleanDocumentInput {
  body: Uint8Array | string;
  contentType?: string | null;
  url?: string | null;
  template?: TemplateHints;
}

/** File signatures of formats that are never documents. */
const BINARY_SIGNATURES: Array<[string, number[]]> = [
  ['PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['JPEG image', [0xff, 0xd8, 0xff]],
  ['PDF document', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['ZIP archive', [0x50, 0x4b, 0x03, 0x04]],
  ['gzip data', [0x1f, 0x8b]],
  ['WebP/RIFF media', [0x52, 0x49, 0x46, 0x46]],
  ['WebAssembly', [0x00, 0x61, 0x73, 0x6d]],
];

function binarySignature(bytes: Uint8Array): string | null {
  for (const [name, signature] of BINARY_SIGNATURES) {
    if (signature.every((byte, i) => bytes[i] === byte)) return name;
  }
  return null;
}

/**
 * Everything from a body (bytes or a string) to a CleanedDocument: size and binary checks,
 * charset decoding, format sniffing, then the HTML or plain-text cleaner. Throws
 * DocumentRejectedError, with a message for operators, for input that can never clean.
 */
export function cleanDocument(input: CleanDocumentInput): CleanedDocument {
  const { body } = input;
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (size === 0 || (typeof body === 'string' && body.trim() === '')) {
    throw new DocumentRejectedError('empty', 'body is empty');
  }
  if (size > MAX_BODY_BYTES) {
    throw new DocumentRejectedError(
      'too-large',
      `body is ${formatSize(size)}, over the ${formatSize(MAX_BODY_BYTES)} limit`,
    );
  }
  let text: string;
  let charset: string | null = null;
  let charsetSource: CharsetSource | null = null;
  if (typeof body === 'string') {
    text = body;
  } else {
    const signature = binarySignature(body);
    if (signature) throw new DocumentRejectedError('binary', `body looks binary (${signature} signature)`);
    const decoded = decodeBody(body, input.contentType);
    ({ text, charset, charsetSource } = decoded);
    const broken = replacementRatio(text);
    if (broken > 0.05) {
      throw new DocumentRejectedError(
        'invalid-encoding',
        `body is not valid ${decoded.charset} (${Math.round(broken * 100)}% of characters undecodable)`,
      );
    }
  }
  if (text.trim() === '') throw new DocumentRejectedError('empty', 'body is empty (whitespace only)');
  const format = sniffFormat(text, input.contentType);
  const cleaned =
    format === 'html'
      ? cleanHtml(text, { url: input.url ?? null })
      : cleanText(text, { url: input.url ?? null, template: input.template });
  if (cleaned.text.trim() === '') {
    throw new DocumentRejectedError(
      'no-content',
      `no main content found in ${formatSize(size)} of ${format === 'html' ? 'HTML' : 'text'}`,
    );
  }
  // The one place text becomes Sluice's form (no invisible format characters, NFC): the text,
  // the title and every signal the extractor reads come out of here.
  return normalizeStrings({ ...cleaned, charset, charsetSource });
}
