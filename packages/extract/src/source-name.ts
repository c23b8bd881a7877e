/**
 * The name a document is shown and filtered under: the source the submitter gave, else the
 * site name the page declares (og:site_name, JSON-LD publisher), else the host it came from
 * without `www.`. Null only for a document with none of the three (pasted text without a URL).
 */
export function sourceName(
  given: string | null | undefined,
  siteName: string | null | undefined,
  url: string | null | undefined,
): string | null {
  const declared = siteName?.replace(/\s+/g, ' ').trim();
  if (given?.trim()) return given.trim();
  if (declared) return declared;
  if (!url) return null;
  try {
    const host = new URL(url).hostname;
    return host ? host.replace(/^www\./, '') : null;
  } catch {
    return null;
  }
}
