import { describe, expect, it } from 'vitest';
import { apiCredentials, dashboardCredentials } from './config';
import { credentialsMatch } from './dashboard';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('dashboard access', () => {
  it('refuses to listen beyond loopback without credentials', () => {
    expect(dashboardCredentials({ HOST: '127.0.0.1' })).toBeNull();
    expect(dashboardCredentials({ HOST: '::1' })).toBeNull();
    expect(() => dashboardCredentials({ HOST: '0.0.0.0' })).toThrow(/refusing to listen on 0.0.0.0/);
    expect(
      dashboardCredentials({ HOST: '0.0.0.0', DASHBOARD_USER: 'ops', DASHBOARD_PASSWORD: 'long-secret' }),
    ).toEqual({
      user: 'ops',
      password: 'long-secret',
    });
  });

  it('takes a bearer token as credentials too', () => {
    const token = 'a-token-of-32-characters-or-more!';
    expect(apiCredentials({ HOST: '0.0.0.0', SLUICE_API_TOKEN: token })).toEqual({ basic: null, token });
    expect(apiCredentials({ HOST: '127.0.0.1' })).toBeNull();
    expect(() => apiCredentials({ HOST: '0.0.0.0' })).toThrow(/SLUICE_API_TOKEN/);
  });

  it('needs the user and the password together', () => {
    expect(() => dashboardCredentials({ HOST: '127.0.0.1', DASHBOARD_USER: 'ops' })).toThrow(/together/);
  });

  it('accepts exactly the configured basic-auth credentials', () => {
    expect(credentialsMatch('ops', 'long-secret', basic('ops', 'long-secret'))).toBe(true);
    expect(credentialsMatch('ops', 'long-secret', basic('ops', 'long-secreT'))).toBe(false);
    expect(credentialsMatch('ops', 'long-secret', basic('opz', 'long-secret'))).toBe(false);
    expect(credentialsMatch('ops', 'long-secret', basic('ops', 'long-secret:extra'))).toBe(false);
    expect(credentialsMatch('ops', 'long-secret', undefined)).toBe(false);
    expect(credentialsMatch('ops', 'long-secret', 'Bearer x')).toBe(false);
  });
});
