import { describe, expect, it } from 'vitest';
import {
  bypassesProxy,
  checkProxyEnv,
  parseNoProxy,
  parsePacResult,
  parseProxyUrl,
  ProxyConfigError,
  proxyFor,
  redactProxyUrl,
} from '../../../electron/core/cloud/proxy.js';

const u = (s: string) => new URL(s);
const proxied = (url: string, env: Record<string, string>) => proxyFor(u(url), env)?.href;

describe('proxyFor: which variable applies', () => {
  it('uses HTTPS_PROXY for https:// and HTTP_PROXY for http://', () => {
    const env = { HTTPS_PROXY: 'http://secure.proxy:3128', HTTP_PROXY: 'http://plain.proxy:8080' };
    expect(proxied('https://iot.cn-shanghai.aliyuncs.com/', env)).toBe('http://secure.proxy:3128/');
    expect(proxied('http://127.0.0.1:9000/', env)).toBe('http://plain.proxy:8080/');
  });

  it('does not use HTTP_PROXY for https:// (curl), but falls back on ALL_PROXY', () => {
    expect(proxied('https://a.example/', { HTTP_PROXY: 'http://p:1' })).toBeUndefined();
    expect(proxied('https://a.example/', { ALL_PROXY: 'http://all:2' })).toBe('http://all:2/');
    expect(proxied('http://a.example/', { all_proxy: 'http://all:3' })).toBe('http://all:3/');
    expect(proxied('https://a.example/', { HTTPS_PROXY: 'http://s:1', ALL_PROXY: 'http://all:2' })).toBe(
      'http://s:1/',
    );
  });

  it('prefers the lowercase variable; an empty value counts as unset', () => {
    expect(proxied('https://a.example/', { https_proxy: 'http://low:1', HTTPS_PROXY: 'http://up:2' })).toBe(
      'http://low:1/',
    );
    expect(proxied('https://a.example/', { https_proxy: '  ', HTTPS_PROXY: 'http://up:2' })).toBe(
      'http://up:2/',
    );
    expect(proxied('https://a.example/', { HTTPS_PROXY: '' })).toBeUndefined();
  });

  it('reads a bare host:port as an http:// proxy and keeps credentials and https:// proxies', () => {
    expect(proxied('https://a.example/', { HTTPS_PROXY: 'proxy.corp:8080' })).toBe('http://proxy.corp:8080/');
    const p = proxyFor(u('https://a.example/'), { HTTPS_PROXY: 'https://us%40r:p%3Ass@proxy.corp' })!;
    expect(p.protocol).toBe('https:');
    expect(decodeURIComponent(p.username)).toBe('us@r');
    expect(decodeURIComponent(p.password)).toBe('p:ss');
  });

  it('never proxies other schemes', () => {
    expect(proxied('ftp://a.example/', { ALL_PROXY: 'http://p:1' })).toBeUndefined();
  });
});

describe('proxyFor: NO_PROXY', () => {
  const base = { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1' };
  const bypassed = (url: string, noProxy: string) =>
    proxied(url, { ...base, NO_PROXY: noProxy }) === undefined;

  it('"*" bypasses everything', () => {
    expect(bypassed('https://anything.example:8443/', '*')).toBe(true);
    expect(bypassed('https://anything.example/', 'a.example, *')).toBe(true);
  });

  it('a domain matches itself and its subdomains, with or without a leading dot or *.', () => {
    for (const rule of ['aliyuncs.com', '.aliyuncs.com', '*.aliyuncs.com', 'ALIYUNCS.COM']) {
      expect(bypassed('https://iot.cn-shanghai.aliyuncs.com/', rule), rule).toBe(true);
      expect(bypassed('https://aliyuncs.com/', rule), rule).toBe(true);
      expect(bypassed('https://notaliyuncs.com/', rule), rule).toBe(false);
      expect(bypassed('https://aliyuncs.com.evil.example/', rule), rule).toBe(false);
    }
    expect(bypassed('https://iot.example./', 'iot.example')).toBe(true);
  });

  it('separates entries by commas and/or whitespace and ignores junk', () => {
    expect(bypassed('https://b.example/', 'a.example,  b.example')).toBe(true);
    expect(bypassed('https://b.example/', 'a.example b.example')).toBe(true);
    expect(bypassed('https://c.example/', ' , ,a.example,10.0.0.0/99,')).toBe(false);
  });

  it('honours ports: host:port only matches that port (default ports included)', () => {
    expect(bypassed('http://127.0.0.1:9000/', '127.0.0.1:9000')).toBe(true);
    expect(bypassed('http://127.0.0.1:9001/', '127.0.0.1:9000')).toBe(false);
    expect(bypassed('https://a.example/', 'a.example:443')).toBe(true);
    expect(bypassed('https://a.example:8443/', 'a.example:443')).toBe(false);
    expect(bypassed('http://[::1]:9000/', '[::1]:9000')).toBe(true);
    expect(bypassed('http://[::1]:9001/', '[::1]:9000')).toBe(false);
  });

  it('matches IP addresses and CIDR ranges, IPv4 and IPv6, without DNS', () => {
    expect(bypassed('http://10.1.2.3/', '10.0.0.0/8')).toBe(true);
    expect(bypassed('http://11.1.2.3/', '10.0.0.0/8')).toBe(false);
    expect(bypassed('http://192.168.1.20/', '192.168.1.20')).toBe(true);
    expect(bypassed('http://[::1]:8080/', '::1')).toBe(true);
    expect(bypassed('http://[fd00::5]/', 'fd00::/8')).toBe(true);
    // An IP rule says nothing about a host name, even one that resolves to it.
    expect(bypassed('http://localhost:8080/', '127.0.0.1')).toBe(false);
  });

  it('does not bypass loopback implicitly (curl), only when NO_PROXY names it', () => {
    expect(bypassed('http://127.0.0.1:9000/', '')).toBe(false);
    expect(bypassed('http://localhost:9000/', '')).toBe(false);
    expect(bypassed('http://[::1]:9000/', '')).toBe(false);
    expect(bypassed('http://localhost:9000/', 'localhost,127.0.0.1,::1')).toBe(true);
    expect(bypassed('http://127.0.0.1:9000/', 'localhost,127.0.0.1,::1')).toBe(true);
    expect(bypassed('http://127.0.0.5:9000/', '127.0.0.0/8')).toBe(true);
  });

  it('lowercase no_proxy wins over NO_PROXY', () => {
    expect(proxied('https://a.example/', { ...base, no_proxy: 'a.example', NO_PROXY: 'b.example' })).toBe(
      undefined,
    );
    expect(proxied('https://b.example/', { ...base, no_proxy: 'a.example', NO_PROXY: 'b.example' })).toBe(
      'http://p:1/',
    );
  });

  it('parseNoProxy/bypassesProxy work on their own', () => {
    expect(parseNoProxy('x, *')).toBe('all');
    expect(bypassesProxy(u('https://x.example/'), parseNoProxy('ample'))).toBe(false);
    expect(bypassesProxy(u('https://x.example/'), parseNoProxy('ample, x.example'))).toBe(true);
  });
});

describe('proxy settings that cannot be used', () => {
  it('rejects SOCKS and other schemes, naming the variable', () => {
    expect(() => proxyFor(u('https://a.example/'), { HTTPS_PROXY: 'socks5://p:1080' })).toThrow(
      /HTTPS_PROXY uses socks5:\/\//,
    );
    expect(() => checkProxyEnv({ all_proxy: 'socks5h://p:1080' })).toThrow(ProxyConfigError);
  });

  it('a bad setting for a bypassed host does not stop the request, but checkProxyEnv reports it', () => {
    expect(proxyFor(u('https://a.example/'), { HTTPS_PROXY: 'socks5://p', NO_PROXY: '*' })).toBeUndefined();
    expect(() => checkProxyEnv({ HTTPS_PROXY: 'socks5://p', NO_PROXY: '*' })).toThrow(ProxyConfigError);
    expect(() => checkProxyEnv({ HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'p:2' })).not.toThrow();
  });

  it('never puts the proxy password in a message', () => {
    for (const value of [
      'socks5://alice:Pa55-LEAK@p:1080',
      'http://alice:Pa55-LEAK@:99999',
      'alice:Pa55-LEAK@',
    ]) {
      let message = '';
      try {
        parseProxyUrl(value, 'HTTPS_PROXY');
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message, value).toMatch(/HTTPS_PROXY/);
      expect(message, value).not.toContain('Pa55-LEAK');
    }
    expect(redactProxyUrl(new URL('http://alice:Pa55-LEAK@p:1/'))).toBe('http://alice:***@p:1/');
    expect(redactProxyUrl(new URL('http://p:1/'))).toBe('http://p:1/');
  });

  it('gives a bilingual hint', () => {
    try {
      parseProxyUrl('socks://p', 'ALL_PROXY');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ProxyConfigError);
      expect((err as ProxyConfigError).hint.en).toMatch(/SOCKS/);
      expect((err as ProxyConfigError).hint.zh).toMatch(/SOCKS/);
    }
  });
});

describe('parsePacResult (Electron session.resolveProxy)', () => {
  it('DIRECT and empty mean no proxy', () => {
    expect(parsePacResult('DIRECT')).toBeUndefined();
    expect(parsePacResult('')).toBeUndefined();
    expect(parsePacResult('DIRECT; PROXY p:1')).toBeUndefined();
  });

  it('takes the first usable proxy', () => {
    expect(parsePacResult('PROXY proxy.corp:8080; DIRECT')?.href).toBe('http://proxy.corp:8080/');
    expect(parsePacResult('HTTPS secure.corp:443')?.href).toBe('https://secure.corp/');
    expect(parsePacResult('  proxy a:1 ;PROXY b:2')?.href).toBe('http://a:1/');
    expect(parsePacResult('HTTP h:3128')?.href).toBe('http://h:3128/');
    expect(parsePacResult('PROXY [::1]:3128')?.href).toBe('http://[::1]:3128/');
  });

  it('skips SOCKS, QUIC and malformed entries in favour of the next one', () => {
    expect(parsePacResult('SOCKS5 s:1080; PROXY p:8080')?.href).toBe('http://p:8080/');
    expect(parsePacResult('SOCKS s:1080; DIRECT')).toBeUndefined();
    expect(parsePacResult('QUIC q:443; PROXY; PROXY ok:1')?.href).toBe('http://ok:1/');
    expect(parsePacResult('SOCKS s:1080')).toBeUndefined();
  });
});
