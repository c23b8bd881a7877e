import { describe, expect, it } from 'vitest';
import { baseEnvSchema, ConfigError, loadConfig } from './index';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig(baseEnvSchema, {});
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.PORT).toBe(3000);
    expect(config.SLUICE_DATA_DIR).toBe('.data');
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig(baseEnvSchema, { PORT: 'eighty', REDIS_URL: 'not a url', LOG_LEVEL: 'loud' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT');
    expect(message).toContain('REDIS_URL');
    expect(message).toContain('LOG_LEVEL');
    expect((error as ConfigError).problems).toHaveLength(3);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig(baseEnvSchema, { REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });
});
