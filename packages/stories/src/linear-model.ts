/** A linear model over standardised features: `bias + Σ weight · (x − mean) / scale`. */
export interface LinearModel {
  features: readonly string[];
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
}

export function linearScore(model: LinearModel, x: readonly number[]): number {
  let score = model.bias;
  for (let i = 0; i < model.weights.length; i += 1)
    score += (model.weights[i]! * ((x[i] ?? 0) - model.mean[i]!)) / model.scale[i]!;
  return score;
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export interface FitOptions {
  /** L2 penalty on the weights. */
  l2?: number;
  epochs?: number;
  learningRate?: number;
  /** Weight of positive examples relative to negatives (for rare positives). */
  positiveWeight?: number;
}

/**
 * Logistic regression by full-batch gradient descent with Adam steps on standardised features:
 * small data (tens of thousands of rows, a few dozen features), so plain and deterministic.
 */
export function fitLogistic(
  names: readonly string[],
  rows: readonly (readonly number[])[],
  labels: readonly number[],
  options: FitOptions = {},
): LinearModel {
  const { l2 = 1e-3, epochs = 250, learningRate = 0.05, positiveWeight = 1 } = options;
  const d = names.length;
  const n = rows.length;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, row) => s + row[j]!, 0) / Math.max(n, 1));
  const scale = mean.map((m, j) => {
    const variance = rows.reduce((s, row) => s + (row[j]! - m) ** 2, 0) / Math.max(n, 1);
    return Math.sqrt(variance) || 1;
  });
  const x = rows.map((row) => row.map((value, j) => (value - mean[j]!) / scale[j]!));
  const sampleWeight = labels.map((label) => (label ? positiveWeight : 1));
  const totalWeight = sampleWeight.reduce((s, w) => s + w, 0) || 1;
  const params = new Array<number>(d + 1).fill(0);
  const m1 = new Array<number>(d + 1).fill(0);
  const m2 = new Array<number>(d + 1).fill(0);
  for (let epoch = 1; epoch <= epochs; epoch += 1) {
    const gradient = new Array<number>(d + 1).fill(0);
    for (let i = 0; i < n; i += 1) {
      const row = x[i]!;
      let z = params[d]!;
      for (let j = 0; j < d; j += 1) z += params[j]! * row[j]!;
      const error = (sigmoid(z) - labels[i]!) * sampleWeight[i]!;
      for (let j = 0; j < d; j += 1) gradient[j]! += error * row[j]!;
      gradient[d]! += error;
    }
    for (let j = 0; j <= d; j += 1) {
      const g = gradient[j]! / totalWeight + (j < d ? l2 * params[j]! : 0);
      m1[j] = 0.9 * m1[j]! + 0.1 * g;
      m2[j] = 0.999 * m2[j]! + 0.001 * g * g;
      const step = m1[j]! / (1 - 0.9 ** epoch) / (Math.sqrt(m2[j]! / (1 - 0.999 ** epoch)) + 1e-8);
      params[j] = params[j]! - learningRate * step;
    }
  }
  const round = (value: number) => Number(value.toPrecision(6));
  return {
    features: [...names],
    mean: mean.map(round),
    scale: scale.map(round),
    weights: params.slice(0, d).map(round),
    bias: round(params[d]!),
  };
}
