export * from './bcubed';
export * from './document-frequencies';
export * from './near-duplicate';
export * from './story-clusterer';
export * from './story-features';
export * from './story-profile';
export * from './story-score';
export * from './terms';
