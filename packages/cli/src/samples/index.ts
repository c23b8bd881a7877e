export * from './articles';
export * from './render';
