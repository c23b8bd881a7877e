/**
 * trafilatura-eval's measure: each "with" segment found in the output (whitespace squashed) is
 * a true positive, else a false negative; each "without" segment found is a false positive.
 */
export interface Gold {
  with: string[];
  without: string[];
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

const squash = (text: string) => text.split(/\s+/).filter(Boolean).join(' ');

export function countSegments(output: string, gold: Gold, counts: Counts = { tp: 0, fp: 0, fn: 0 }): Counts {
  const text = squash(output);
  for (const segment of gold.with) {
    if (text.includes(squash(segment))) counts.tp++;
    else counts.fn++;
  }
  for (const segment of gold.without) if (text.includes(squash(segment))) counts.fp++;
  return counts;
}

export const f1Of = ({ tp, fp, fn }: Counts) => (tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn));

export function percentile(values: number[], share: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
}
