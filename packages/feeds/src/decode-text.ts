/**
 * Decodes feed or page bytes to text: BOM first, then the Content-Type charset, then the XML
 * declaration's encoding, then UTF-8. Unknown labels fall back to UTF-8 rather than failing.
 */
export function decodeText(body: Uint8Array, contentType: string | null | undefined): string {
  const charset = bomCharset(body) ?? headerCharset(contentType) ?? declaredCharset(body) ?? 'utf-8';
  try {
    return new TextDecoder(charset, { ignoreBOM: false }).decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

function bomCharset(body: Uint8Array): string | null {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  return null;
}

function headerCharset(contentType: string | null | undefined): string | null {
  const match = /charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase() ?? null;
}

function declaredCharset(body: Uint8Array): string | null {
  const head = new TextDecoder('latin1').decode(body.subarray(0, 256));
  const match = /<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head);
  return match?.[1]?.toLowerCase() ?? null;
}
