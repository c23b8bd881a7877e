import { describe, expect, it } from 'vitest';
import { serializeError } from './index';

describe('serializeError', () => {
  it('keeps the command name of a Redis error but never its arguments', () => {
    // The shape of an ioredis ReplyError: the failed command rides along with its arguments.
    const error = Object.assign(new Error('OOM command not allowed when used memory > maxmemory.'), {
      name: 'ReplyError',
      command: { name: 'evalsha', args: ['sha', '{sluice}:fetch', '<html>'.repeat(10_000)] },
    });
    const logged = JSON.stringify(serializeError(error));
    expect(logged).toContain('OOM command not allowed');
    expect(logged).toContain('"command":"evalsha"');
    expect(logged).not.toContain('<html>');
    expect(logged.length).toBeLessThan(3_000);
  });

  it('shortens a message that quotes a document', () => {
    const logged = serializeError(new Error(`bad: ${'x'.repeat(100_000)}`)) as { message: string };
    expect(logged.message.length).toBeLessThan(600);
  });
});
