// The agent's request guard as plain functions: one spelling per path, the forward allow-list on
// that spelling, and which Host and Origin values name the agent for each way it may listen.
import { describe, expect, it } from 'vitest';
import { canonicalUrl, isFormType, isForwarded, isJsonType, originPolicy } from '../../electron/agent/http-guard.ts';

describe('canonicalUrl', () => {
  it('decodes, re-encodes one way and drops empty segments; keeps the query as sent', () => {
    expect(canonicalUrl('/api/devices/%6frders?deviceId=x')).toBe('/api/devices/orders?deviceId=x');
    expect(canonicalUrl('/api//devices/orders/')).toBe('/api/devices/orders');
    expect(canonicalUrl('/api/search?q=ng%C3%A2n%20s%C3%A1ch')).toBe('/api/search?q=ng%C3%A2n%20s%C3%A1ch');
    expect(canonicalUrl('/assets/a%20b@2x.png')).toBe('/assets/a%20b@2x.png');
    expect(canonicalUrl('/')).toBe('/');
  });

  it('refuses what no client of ours sends', () => {
    for (const p of ['/api/%ff', '/api/a%2Fb', '/api/a%5Cb', '/api/./x', '/api/../x', '/api/%2e%2e/x', '/api/%00', '/a%0ab', 'api/x', '*']) {
      expect(canonicalUrl(p), p).toBeNull();
    }
  });
});

describe('isForwarded', () => {
  it('lets the hub routes through by method and shape, never the device routes', () => {
    expect(isForwarded('POST', '/api/meetings/m1/documents?title=T')).toBe(true);
    expect(isForwarded('PUT', '/api/meetings/m1/participants/u1')).toBe(true);
    expect(isForwarded('GET', '/api/meetings/m1/participants/u1')).toBe(false);
    expect(isForwarded('POST', '/api/devices/wipe')).toBe(true);
    for (const p of ['/api/devices/orders', '/api/devices/orders/1/ack', '/api/devices/orders/x']) {
      for (const m of ['GET', 'POST']) expect(isForwarded(m, p), `${m} ${p}`).toBe(false);
    }
    expect(isForwarded('PATCH', '/api/papers/not%20an%20id')).toBe(false);
    expect(isForwarded('GET', '/api/nonexistent')).toBe(false);
  });
});

describe('originPolicy', () => {
  it('loopback: its own address and localhost on its port', () => {
    const p = originPolicy('127.0.0.1', 4800);
    for (const h of ['127.0.0.1:4800', 'localhost:4800']) expect(p.hostAllowed(h), h).toBe(true);
    for (const h of ['127.0.0.1', '127.0.0.1:4801', 'evil.example:4800', '127.0.0.2:4800', '[::1]:4800', 'x@127.0.0.1:4800', '127.0.0.1:4800/x', undefined]) {
      expect(p.hostAllowed(h), String(h)).toBe(false);
    }
    expect(p.originAllowed(undefined)).toBe(true);
    for (const o of ['http://127.0.0.1:4800', 'http://localhost:4800']) expect(p.originAllowed(o), o).toBe(true);
    for (const o of ['null', 'http://evil.example', 'https://127.0.0.1:4800', 'http://127.0.0.1:4801', 'http://127.0.0.1:4800/path', 'chamber://app']) {
      expect(p.originAllowed(o), o).toBe(false);
    }
  });

  it('IPv6 loopback and a wildcard bind: IP literals only, never a DNS name', () => {
    const v6 = originPolicy('::1', 80);
    expect(v6.hostAllowed('[::1]')).toBe(true);
    expect(v6.originAllowed('http://[::1]')).toBe(true);
    expect(v6.hostAllowed('127.0.0.1')).toBe(false);
    const any = originPolicy('0.0.0.0', 4800);
    for (const h of ['192.168.1.20:4800', '127.0.0.1:4800', '[fe80::1]:4800', 'localhost:4800']) expect(any.hostAllowed(h), h).toBe(true);
    for (const h of ['tablet.local:4800', 'evil.example:4800', '192.168.1.20:4801']) expect(any.hostAllowed(h), h).toBe(false);
  });
});

describe('content types', () => {
  it('tells JSON from the types a cross-site form may send', () => {
    expect(isJsonType('application/json; charset=utf-8')).toBe(true);
    expect(isJsonType('text/plain')).toBe(false);
    expect(isJsonType(undefined)).toBe(false);
    for (const t of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'Multipart/Form-Data; boundary=x']) expect(isFormType(t), t).toBe(true);
    expect(isFormType('application/pdf')).toBe(false);
  });
});
