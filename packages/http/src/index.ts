export * from './address-guard';
export * from './fetch-error';
export * from './fetch-page';
export * from './post-guarded';
export * from './read-body';
export * from './retry-after';
