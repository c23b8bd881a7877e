/**
 * Whether a response is a document the clean stage can read (HTML, XHTML, plain text), as it
 * judges them; other types (PDF, images, archives, media) are skipped with a reason.
 * A missing type is accepted: the clean stage sniffs the bytes.
 */
export function isDocumentContentType(contentType: string | null | undefined): boolean {
  if (!contentType) return true;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'text/html' || type === 'application/xhtml+xml' || type === 'text/plain' || type === '';
}
