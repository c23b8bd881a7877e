import { describe, expect, it } from 'vitest';
import { SessionKeys } from './session';

describe('SessionKeys', () => {
  const keys = new SessionKeys();

  it('opens the cookies it sealed, and no altered or foreign one', () => {
    const sealed = keys.seal('editor');
    expect(keys.open(sealed)).toMatchObject({ user: 'editor' });
    const [body, signature] = sealed.split('.');
    const forged = Buffer.from(JSON.stringify({ u: 'admin', n: 'x', e: Date.now() + 60_000 })).toString(
      'base64url',
    );
    expect(keys.open(`${forged}.${signature}`)).toBeNull();
    expect(keys.open(`${body}.${signature?.slice(0, -2)}xx`)).toBeNull();
    expect(new SessionKeys().open(sealed)).toBeNull();
    expect(keys.open(undefined)).toBeNull();
    expect(keys.open('garbage')).toBeNull();
  });

  it("ties a CSRF token to one session's nonce", () => {
    const one = keys.open(keys.seal('editor'))!;
    const two = keys.open(keys.seal('editor'))!;
    expect(keys.csrfMatches(one.nonce, keys.csrfToken(one.nonce))).toBe(true);
    expect(keys.csrfMatches(one.nonce, keys.csrfToken(two.nonce))).toBe(false);
    expect(keys.csrfMatches(one.nonce, undefined)).toBe(false);
    expect(keys.csrfMatches(one.nonce, ['a'])).toBe(false);
  });
});
