export { retentionEnvSchema } from './expire-documents';
export * from './service';
