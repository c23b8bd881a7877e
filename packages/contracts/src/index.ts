export * from './document-id';
export * from './documents';
export * from './enqueue';
export * from './jobs';
export * from './queues';
export * from './webhooks';
