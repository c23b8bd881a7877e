/** Largest body the cleaner accepts; the fetcher enforces the same cap before downloading more. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** Deepest element nesting accepted; real pages stay far below, hostile ones do not. */
export const MAX_HTML_DEPTH = 1000;
