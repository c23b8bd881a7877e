export * from './deliver';
export * from './emitter';
export * from './events';
export * from './settings';
export * from './signature';
