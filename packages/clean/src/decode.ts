import { isAscii, isUtf8, transcode } from 'node:buffer';
import chardet from 'chardet';
import iconv from 'iconv-lite';

/** How the charset was chosen; `content`: the bytes are UTF-8 whatever was declared. */
export type CharsetSource = 'bom' | 'header' | 'meta' | 'content' | 'guess' | 'default';
export interface DecodedBody {
  text: string;
  charset: string;
  charsetSource: CharsetSource;
}

/** How many leading bytes are searched for a `<meta charset>` declaration (the HTML spec says 1024). */
const META_SCAN_BYTES = 4096;

/** Lower-case charset name as the decoders know it; `null` for labels no decoder supports. */
export function normalizeCharset(label: string | null | undefined): string | null {
  if (!label) return null;
  const name = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  if (!name) return null;
  // Browsers decode these legacy labels as their supersets; pages rely on it.
  if (name === 'iso-8859-1' || name === 'latin1' || name === 'us-ascii' || name === 'ascii')
    return 'windows-1252';
  if (name === 'utf8') return 'utf-8';
  if (name === 'x-sjis' || name === 'shift-jis') return 'shift_jis';
  if (name === 'gb2312') return 'gbk';
  if (iconv.encodingExists(name)) return name;
  try {
    new TextDecoder(name);
    return name;
  } catch {
    return null;
  }
}

export function charsetFromContentType(contentType: string | null | undefined): string | null {
  const match = contentType?.match(/charset\s*=\s*["']?\s*([\w.:-]+)/i);
  return normalizeCharset(match?.[1]);
}

/** The charset named by `<meta charset>` or `<meta http-equiv="content-type">` in the first bytes. */
export function charsetFromMeta(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, META_SCAN_BYTES)).toString(
    'latin1',
  );
  for (const tag of head.matchAll(/<meta\b[^>]*>/gi)) {
    const match = tag[0].match(/charset\s*=\s*["']?\s*([\w.:-]+)/i);
    const charset = normalizeCharset(match?.[1]);
    // A page saved as UTF-16 cannot declare itself in ASCII-compatible bytes; the spec ignores it too.
    if (charset && !charset.startsWith('utf-16')) return charset;
  }
  return null;
}

function bomOf(bytes: Uint8Array): { charset: string; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { charset: 'utf-8', length: 3 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { charset: 'utf-16be', length: 2 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { charset: 'utf-16le', length: 2 };
  return null;
}

const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

function decodeWith(bytes: Uint8Array, charset: string): string {
  if (charset === 'utf-8') return UTF8.decode(bytes);
  try {
    return new TextDecoder(charset, { ignoreBOM: true }).decode(bytes);
  } catch {
    return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), charset, {
      stripBOM: false,
    });
  }
}

/** The bytes as UTF-8 when they are valid UTF-8 (one pass that checks and decodes), else null. */
function strictUtf8(bytes: Uint8Array): string | null {
  return isUtf8(bytes) ? validUtf8ToString(bytes) : null;
}

/**
 * Bytes known to be valid UTF-8 as a string. Node 20's TextDecoder converts character by
 * character; ICU's transcoding to UTF-16 and a copy into the string is about twice as fast on
 * pages with non-ASCII text, and pure ASCII is read as Latin-1, faster still. Same result.
 */
function validUtf8ToString(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (isAscii(buffer)) return buffer.toString('latin1');
  try {
    const wide = transcode(buffer, 'utf8', 'utf16le');
    return wide.toString('utf16le');
  } catch {
    // A Node built without ICU has no transcode.
    return UTF8.decode(bytes);
  }
}

/** Share of characters that came out as U+FFFD. */
export function replacementRatio(text: string): number {
  if (text.length === 0) return 0;
  let count = 0;
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) count++;
  return count / text.length;
}

/** How many bytes the statistical guess reads: the detectors' cost grows with it. */
const GUESS_SAMPLE_BYTES = 16 * 1024;
/** Bytes kept each side of a non-ASCII byte in the sample. */
const GUESS_WINDOW = 48;

/**
 * The bytes a charset guess needs: only non-ASCII bytes tell charsets apart, and a page's first
 * kilobytes are often all ASCII markup and script, so the sample is the neighbourhoods of the
 * non-ASCII bytes, up to a bound.
 */
export function guessSample(bytes: Uint8Array, limit = GUESS_SAMPLE_BYTES): Uint8Array {
  const sample = new Uint8Array(Math.min(limit, bytes.length));
  let size = 0;
  let taken = 0;
  for (let i = 0; i < bytes.length && size < sample.length; i++) {
    if ((bytes[i] as number) < 0x80) continue;
    const start = Math.max(i - GUESS_WINDOW, taken);
    const end = Math.min(i + GUESS_WINDOW, bytes.length, start + (sample.length - size));
    sample.set(bytes.subarray(start, end), size);
    size += end - start;
    taken = end;
    i = end - 1;
  }
  return size === 0 ? bytes.subarray(0, limit) : sample.subarray(0, size);
}

function guess(bytes: Uint8Array): string | null {
  return normalizeCharset(chardet.detect(guessSample(bytes)));
}

/**
 * Decodes a body: byte-order mark first, then the transport's charset, then a `<meta>`
 * declaration in the first bytes, then a statistical guess. A declared UTF-8 that is not
 * valid UTF-8 is re-guessed when a few characters are broken (a mis-declared legacy page) and
 * kept when most are (garbage: the caller rejects it).
 */
export function decodeBody(bytes: Uint8Array, contentType?: string | null): DecodedBody {
  const bom = bomOf(bytes);
  if (bom)
    return {
      text: decodeWith(bytes.subarray(bom.length), bom.charset),
      charset: bom.charset,
      charsetSource: 'bom',
    };

  const declared: Array<[string | null, CharsetSource]> = [
    [charsetFromContentType(contentType), 'header'],
    [charsetFromMeta(bytes), 'meta'],
  ];
  for (const [charset, source] of declared) {
    if (!charset) continue;
    if (charset !== 'utf-8') {
      // Pages re-saved as UTF-8 keep their old declaration, and servers send a stale default
      // charset: multi-byte UTF-8 that decodes cleanly is next to impossible by accident in a
      // legacy charset, so the bytes outrank the label.
      if (!charset.startsWith('utf-') && !isAscii(bytes) && isUtf8(bytes)) {
        return { text: validUtf8ToString(bytes), charset: 'utf-8', charsetSource: 'content' };
      }
      return { text: decodeWith(bytes, charset), charset, charsetSource: source };
    }
    const valid = strictUtf8(bytes);
    if (valid !== null) return { text: valid, charset, charsetSource: source };
    const text = decodeWith(bytes, 'utf-8');
    const broken = replacementRatio(text);
    if (broken < 0.0005 || broken > 0.1) return { text, charset, charsetSource: source };
    const guessed = guess(bytes);
    if (guessed && guessed !== 'utf-8')
      return { text: decodeWith(bytes, guessed), charset: guessed, charsetSource: 'guess' };
    return { text, charset, charsetSource: source };
  }

  const valid = strictUtf8(bytes);
  if (valid !== null) return { text: valid, charset: 'utf-8', charsetSource: 'default' };
  const guessed = guess(bytes);
  if (guessed) return { text: decodeWith(bytes, guessed), charset: guessed, charsetSource: 'guess' };
  return { text: decodeWith(bytes, 'utf-8'), charset: 'utf-8', charsetSource: 'default' };
}
