import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, settingsMisspelled } from './config.js';

describe('configuration', () => {
  it('runs on a bare machine with nothing set: embedded store, port 3978, dev sign-in', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3978,
      dataDir: './data',
      authMode: 'dev',
      publicUrl: 'http://localhost:3978',
    });
    expect(c.mongodbUri).toBeUndefined();
    expect(c.bot).toBeUndefined();
    // Every chat a guest's until a site is given the key to sign its customers in with.
    expect(c.chatAuthSecret).toBeUndefined();
  });

  it('turns auth on by default when app credentials are configured', () => {
    const c = loadConfig({ MicrosoftAppId: 'app-1', MicrosoftAppPassword: 'secret' });
    expect(c.authMode).toBe('teams');
    expect(c.bot).toEqual({
      appId: 'app-1',
      appPassword: 'secret',
      tenantId: undefined,
      appType: 'MultiTenant',
    });
    expect(c.tabSsoClientId).toBe('app-1');
  });

  it('names the variable in one line when a value is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/^PORT: must be a whole number$/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/^PORT: must be between 0 and 65535$/);
    expect(() => loadConfig({ MONGODB_URI: 'postgres://x' })).toThrow(
      /^MONGODB_URI: must start with mongodb/,
    );
    expect(() => loadConfig({ AUTH_MODE: 'open' })).toThrow(/^AUTH_MODE: must be teams or dev$/);
    expect(() => loadConfig({ PUBLIC_URL: 'example.com' })).toThrow(/^PUBLIC_URL: must be an absolute/);
    // Shaped like a URL but not one the parser takes: refused here, not a TypeError later.
    for (const url of ['http://[::1', 'https://[::1', 'http://exa mple.com'])
      expect(() => loadConfig({ PUBLIC_URL: url }), url).toThrow(
        /^PUBLIC_URL: must be an absolute http\(s\) URL$/,
      );
    expect(() => loadConfig({ PUBLIC_URL: 'https://example.com/switchboard' })).toThrow(
      /^PUBLIC_URL: must have no path/,
    );
    expect(loadConfig({ PUBLIC_URL: 'https://example.com/' }).publicUrl).toBe('https://example.com');
    expect(() => loadConfig({ MicrosoftAppType: 'Single' })).toThrow(/^MicrosoftAppType: must be/);
    expect(() => loadConfig({ CHAT_AUTH_SECRET: 'short' })).toThrow(/^CHAT_AUTH_SECRET: must be at least 32/);
    for (const url of ['http://keys.example.com/jwks.json', 'ftp://x/jwks', 'not a url'])
      expect(() => loadConfig({ CHAT_AUTH_JWKS_URL: url }), url).toThrow(
        /^CHAT_AUTH_JWKS_URL: must be an https URL/,
      );
    for (const url of ['https://login.example.com/.well-known/jwks.json', 'http://127.0.0.1:8080/jwks'])
      expect(loadConfig({ CHAT_AUTH_JWKS_URL: url }).chatAuthJwksUrl).toBe(url);
  });

  it('loads the demo company unless DEMO_DATA is off, and trusts only the proxies named', () => {
    expect(loadConfig({})).toMatchObject({ demoData: true, trustedProxies: [] });
    expect(loadConfig({ DEMO_DATA: 'off' }).demoData).toBe(false);
    expect(() => loadConfig({ DEMO_DATA: 'no' })).toThrow(/^DEMO_DATA: must be on or off$/);
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.2, 172.16.0.0/12 ,::1,' }).trustedProxies).toEqual([
      '10.0.0.2',
      '172.16.0.0/12',
      '::1',
    ]);
    for (const value of ['proxy.local', '10.0.0.0/33', '10.0.0.1/8/1', '*'])
      expect(() => loadConfig({ TRUST_PROXY: value }), value).toThrow(
        /^TRUST_PROXY: must be the reverse proxies/,
      );
  });

  it('names a variable that is almost a setting, and nothing else in the environment', () => {
    expect(
      settingsMisspelled({
        MONGODB_URL: 'mongodb://db',
        public_url: 'https://x.example',
        ALLOWED_ORIGIN: 'https://a.example',
        PORT: '3978',
        PATH: '/usr/bin',
        HOME: '/root',
        NODE_ENV: 'production',
      }),
    ).toEqual([
      'MONGODB_URL is not a Switchboard setting and is ignored; did you mean MONGODB_URI?',
      'public_url is not a Switchboard setting and is ignored; did you mean PUBLIC_URL?',
      'ALLOWED_ORIGIN is not a Switchboard setting and is ignored; did you mean ALLOWED_ORIGINS?',
    ]);
  });

  it('refuses dev sign-in when app credentials are configured', () => {
    expect(() => loadConfig({ MicrosoftAppId: 'app-1', AUTH_MODE: 'dev' })).toThrow(ConfigError);
    expect(() => loadConfig({ MicrosoftAppId: 'app-1', AUTH_MODE: 'dev' })).toThrow(
      /^AUTH_MODE: dev sign-in/,
    );
  });

  it('needs a tenant for a single-tenant bot and a client id for Teams sign-in', () => {
    expect(() => loadConfig({ MicrosoftAppId: 'a', MicrosoftAppType: 'SingleTenant' })).toThrow(
      /^MicrosoftAppTenantId: required/,
    );
    expect(() => loadConfig({ AUTH_MODE: 'teams' })).toThrow(/^TAB_SSO_CLIENT_ID: required/);
  });

  it('treats empty variables as unset and trims the public URL', () => {
    const c = loadConfig({ MONGODB_URI: '', PUBLIC_URL: 'https://sb.example.com/', PORT: '8080' });
    expect(c.mongodbUri).toBeUndefined();
    expect(c.publicUrl).toBe('https://sb.example.com');
    expect(c.port).toBe(8080);
  });
});
