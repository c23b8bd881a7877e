import { DocumentRejectedError } from './errors';

// C0 controls other than tab, newline, form feed and carriage return, and DEL.
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g;

/** Share of C0 control characters (other than tab, newline, carriage return, form feed) in a sample. */
export function controlCharRatio(text: string, sample = 64 * 1024): number {
  const end = Math.min(text.length, sample);
  if (end === 0) return 0;
  const head = end === text.length ? text : text.slice(0, end);
  // The regular expression engine scans far faster than a loop over char codes, and most pages have none.
  const controls = head.match(CONTROL)?.length ?? 0;
  return controls / end;
}

/** How much of a body the binary check reads. */
const BINARY_SAMPLE = 16 * 1024;

/** Above this share of control characters a body is not text in any charset. */
export const BINARY_CONTROL_RATIO = 0.02;

/**
 * The first markup structure of a page: a doctype, a comment, an XML declaration, or the start
 * tag of an element pages open with (document structure, head content, or a block element),
 * after nothing but whitespace. Plain text does not open like this, however long the block
 * that follows (a page may open with a 100 KB <style> or <script> before its first other tag).
 */
const HTML_START =
  /^\uFEFF?\s*(?:<!--|<\?xml\b|<!doctype\s+html\b|<(?:html|head|body|meta|title|link|base|style|script|noscript|template|div|section|article|main|header|nav|table|center|form|iframe|p|h[1-6])[\s/>])/i;
const HTML_TAG =
  /<\/?(?:html|head|body|div|p|br|span|a|table|tr|td|h[1-6]|ul|ol|li|article|section|script|style|meta|link|img)\b[^>]*>/gi;

/**
 * Whether a decoded body is HTML or plain text: a content type saying HTML wins unless the body
 * has no markup at all, and a body that opens like a page is HTML whatever the header says.
 * Throws DocumentRejectedError for content that is binary.
 */
export function sniffFormat(text: string, contentType?: string | null): 'html' | 'text' {
  // Binary bodies show it from their first kilobytes; a sample keeps the check cheap on big pages.
  const controls = controlCharRatio(text, BINARY_SAMPLE);
  if (controls > BINARY_CONTROL_RATIO) {
    throw new DocumentRejectedError(
      'binary',
      `body looks binary (${Math.round(controls * 100)}% control bytes)`,
    );
  }
  if (HTML_START.test(text.slice(0, 1024))) return 'html';
  const head = text.slice(0, 8192);
  const tags = head.match(HTML_TAG)?.length ?? 0;
  const type = contentType?.toLowerCase() ?? '';
  if (type.includes('html') || type.includes('xml')) return tags > 0 || head.includes('<') ? 'html' : 'text';
  if (type.startsWith('text/plain')) return tags >= 10 ? 'html' : 'text';
  return tags >= 3 ? 'html' : 'text';
}
