/** What a host's past documents say about lines of this one: comparable line → is template. */
export interface TemplateHints {
  /** Lines (in `templateKeyOf` form) seen in the same position across many of the host's documents. */
  boilerplate: string[];
}
