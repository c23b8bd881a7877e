export interface BCubedScores {
  precision: number;
  recall: number;
  f1: number;
}

/**
 * BCubed precision and recall of a clustering against gold clusters, over the items of `predicted`.
 * Per item: precision is the share of its cluster that shares its gold cluster, recall the share
 * of its gold cluster that shares its cluster; both averaged over items.
 */
export function bcubed(
  predicted: ReadonlyMap<string, string>,
  gold: ReadonlyMap<string, string>,
): BCubedScores {
  const pairCounts = new Map<string, number>();
  const predictedSizes = new Map<string, number>();
  const goldSizes = new Map<string, number>();
  for (const [item, cluster] of predicted) {
    const goldCluster = gold.get(item);
    if (goldCluster === undefined) throw new Error(`no gold cluster for ${item}`);
    const pair = `${cluster}\u0000${goldCluster}`;
    pairCounts.set(pair, (pairCounts.get(pair) ?? 0) + 1);
    predictedSizes.set(cluster, (predictedSizes.get(cluster) ?? 0) + 1);
    goldSizes.set(goldCluster, (goldSizes.get(goldCluster) ?? 0) + 1);
  }
  let precision = 0;
  let recall = 0;
  for (const [pair, count] of pairCounts) {
    const [cluster, goldCluster] = pair.split('\u0000') as [string, string];
    precision += (count * count) / predictedSizes.get(cluster)!;
    recall += (count * count) / goldSizes.get(goldCluster)!;
  }
  const items = predicted.size || 1;
  precision /= items;
  recall /= items;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}
