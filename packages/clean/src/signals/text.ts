/** Collapses whitespace and trims, for short signal values taken from element text. */
export function squish(text: string | undefined | null): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** Appends a signal unless its value is empty, too long, or already present under the same source. */
export function pushSignal(
  list: { source: string; value: string }[],
  source: string,
  value: string | undefined | null,
  maxLength = 300,
): void {
  const clean = squish(value);
  if (!clean || clean.length > maxLength) return;
  if (list.some((s) => s.source === source && s.value === clean)) return;
  list.push({ source, value: clean });
}
