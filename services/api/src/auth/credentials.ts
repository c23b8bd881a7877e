import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiCredentials } from '../config';

const digest = (value: string) => createHash('sha256').update(value).digest();
const sameSecret = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected));

/** Constant-time comparison of both user and password, via fixed-length digests. */
export function credentialsMatch(expectedUser: string, expectedPassword: string, header: string | undefined) {
  if (!header?.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) return false;
  const userOk = sameSecret(decoded.slice(0, separator), expectedUser);
  const passwordOk = sameSecret(decoded.slice(separator + 1), expectedPassword);
  return userOk && passwordOk;
}

/** Constant-time check of an `Authorization: Bearer` header against the API token. */
export function tokenMatches(expectedToken: string, header: string | undefined) {
  if (!header?.startsWith('Bearer ')) return false;
  return sameSecret(header.slice(7).trim(), expectedToken);
}

/** Whether an Authorization header carries any of the configured credentials. */
export function authorizationValid(credentials: ApiCredentials, header: string | undefined) {
  if (credentials.token && tokenMatches(credentials.token, header)) return true;
  const { basic } = credentials;
  return basic !== null && credentialsMatch(basic.user, basic.password, header);
}
