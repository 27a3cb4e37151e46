import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, describeEachDb, makeTestApp, type TestApp } from '../harness.ts';

const PROXY = '127.0.0.1';
const CLIENT = '203.0.113.9';

describeEachDb('behind a reverse proxy', (dialect) => {
  async function login(t: TestApp, opts: { remoteAddress?: string; headers?: Record<string, string> } = {}) {
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'agent', password: DEMO_PASSWORD },
      remoteAddress: opts.remoteAddress ?? PROXY,
      headers: opts.headers ?? {},
    });
  }
  /** The address of the one session made since the last call (the frozen clock gives every session one time). */
  async function lastSessionIp(t: TestApp): Promise<string | null> {
    const rows = await t.db.kysely.selectFrom('sessions').select('ip').execute();
    await t.db.kysely.deleteFrom('sessions').execute();
    expect(rows).toHaveLength(1);
    return rows[0]?.ip ?? null;
  }
  const forwarded = { 'x-forwarded-for': `${CLIENT}, 198.51.100.20`, 'x-forwarded-proto': 'https' };

  describe('without GRIDVOICE_TRUST_PROXY', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await makeTestApp(dialect);
    });
    afterAll(async () => t?.close());

    it('ignores X-Forwarded-* headers: the peer is the client, the cookie is not Secure, no HSTS', async () => {
      const res = await login(t, { headers: forwarded });
      expect(res.statusCode, res.body).toBe(200);
      expect(await lastSessionIp(t)).toBe(PROXY);
      const cookie = res.cookies.find((c) => c.name === 'gv_session');
      expect(cookie?.secure).toBeFalsy();
      expect(res.headers['strict-transport-security']).toBeUndefined();
    });
  });

  describe('with GRIDVOICE_TRUST_PROXY=127.0.0.1/32', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await makeTestApp(dialect, { env: { GRIDVOICE_TRUST_PROXY: '127.0.0.1/32, ::1' } });
    });
    afterAll(async () => t?.close());

    it('records the forwarded client address and sets a Secure cookie and HSTS for a request that came over TLS', async () => {
      const res = await login(t, { headers: forwarded });
      expect(res.statusCode, res.body).toBe(200);
      // The nearest untrusted hop is the client: 198.51.100.20 added itself, it is not in the trusted list.
      expect(await lastSessionIp(t)).toBe('198.51.100.20');
      expect(res.cookies.find((c) => c.name === 'gv_session')?.secure).toBe(true);
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
    });

    it('takes the client address from a single-hop X-Forwarded-For', async () => {
      const res = await login(t, { headers: { 'x-forwarded-for': CLIENT, 'x-forwarded-proto': 'http' } });
      expect(res.statusCode).toBe(200);
      expect(await lastSessionIp(t)).toBe(CLIENT);
      expect(res.cookies.find((c) => c.name === 'gv_session')?.secure).toBeFalsy();
      expect(res.headers['strict-transport-security']).toBeUndefined();
    });

    it('believes no header from a peer that is not a trusted proxy', async () => {
      const res = await login(t, { remoteAddress: '198.51.100.7', headers: forwarded });
      expect(res.statusCode).toBe(200);
      expect(await lastSessionIp(t)).toBe('198.51.100.7');
      expect(res.cookies.find((c) => c.name === 'gv_session')?.secure).toBeFalsy();
      expect(res.headers['strict-transport-security']).toBeUndefined();
    });

    it('sets the portal session cookie Secure over TLS too', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/public/portal/session',
        payload: { number: 'TS000000000000', queryCode: '000000' },
        remoteAddress: PROXY,
        headers: forwarded,
      });
      // No such order: the cookie is not set, but the answer still carries HSTS.
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
    });

    it('accepts a browser write whose Origin is the public host the proxy forwarded', async () => {
      const ok = await login(t, {
        headers: { ...forwarded, host: '127.0.0.1:8080', 'x-forwarded-host': 'gv.example.cn', origin: 'https://gv.example.cn' },
      });
      expect(ok.statusCode, ok.body).toBe(200);
      const other = await login(t, {
        headers: { ...forwarded, host: '127.0.0.1:8080', 'x-forwarded-host': 'gv.example.cn', origin: 'https://evil.example' },
      });
      expect(other.statusCode).toBe(403);
      expect(other.json().error.code).toBe('csrf_rejected');
    });

    it('limits logins per forwarded client, not per proxy address', async () => {
      const from = (ip: string) => login(t, { headers: { 'x-forwarded-for': ip } });
      // 20 a minute per client; earlier tests here logged in from other addresses.
      for (let i = 0; i < 20; i++) expect((await from('192.0.2.50')).statusCode).toBe(200);
      const over = await from('192.0.2.50');
      expect(over.statusCode).toBe(429);
      expect(over.json().error.code).toBe('rate_limited');
      expect((await from('192.0.2.51')).statusCode).toBe(200);
    });
  });

  describe('with GRIDVOICE_COOKIE_SECURE=1', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await makeTestApp(dialect, { env: { GRIDVOICE_COOKIE_SECURE: '1' } });
    });
    afterAll(async () => t?.close());

    it('marks the session cookie Secure on a plain request, without HSTS', async () => {
      const res = await login(t);
      expect(res.statusCode).toBe(200);
      expect(res.cookies.find((c) => c.name === 'gv_session')?.secure).toBe(true);
      expect(res.headers['strict-transport-security']).toBeUndefined();
    });
  });
});
