/**
 * Refuses XML that declares entities or carries an internal DTD subset before it reaches a
 * parser: that is where billion-laughs, quadratic blow-up and external-entity payloads live.
 * Plain DOCTYPEs that only name a public DTD (RSS 0.91) are accepted; nothing is fetched for them.
 */
export class UnsafeXmlError extends Error {
  readonly code = 'unsafe-xml';
  readonly permanent = true;
}

export function assertSafeXml(text: string): void {
  // Declarations can only appear in the prolog, before the root element.
  const prologEnd = findRootStart(text);
  const prolog = text.slice(0, prologEnd);
  if (/<!ENTITY/i.test(prolog)) throw new UnsafeXmlError('XML declares entities; refused');
  const doctype = /<!DOCTYPE[^>[]*\[/i.exec(prolog);
  if (doctype) throw new UnsafeXmlError('XML carries an internal DTD subset; refused');
}

/** Index of the first element start that is not a declaration, comment or processing instruction. */
function findRootStart(text: string): number {
  const match = /<[A-Za-z_]/.exec(text);
  return match ? match.index : text.length;
}
