import { afterEach, beforeEach, expect, it } from 'vitest';
import { lockMinutes } from '../../server/services/auth.service.ts';
import { DEMO_PASSWORD, describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type Headers = Record<string, string>;
const MINUTE = 60_000;

const errorOf = (res: { body: string }) =>
  (JSON.parse(res.body) as { error: { code: string; message: string; details: Record<string, unknown> } }).error;

describeEachDb('auth API', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(dialect, { clock: testClock() });
  });
  afterEach(async () => t?.close());

  const login = (username: string, password: string, remoteAddress = '127.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress });
  const me = (headers: Headers) => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
  const changePassword = (headers: Headers, currentPassword: string, newPassword: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers, payload: { currentPassword, newPassword } });

  it('returns 401 unauthenticated on /auth/me and /tickets without a session', async () => {
    for (const url of ['/api/v1/auth/me', '/api/v1/tickets']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
      expect(errorOf(res).code).toBe('unauthenticated');
    }
  });

  it('returns 401 for an unknown session cookie', async () => {
    const res = await me({ cookie: 'gv_session=not-a-session' });
    expect(res.statusCode).toBe(401);
  });

  it('returns 401 invalid_credentials without a cookie when the password is wrong', async () => {
    const res = await login('agent', 'wrong-password');
    expect(res.statusCode).toBe(401);
    expect(errorOf(res).code).toBe('invalid_credentials');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('returns the same 401 for an unknown user as for a wrong password', async () => {
    const unknown = await login('nobody', 'wrong-password');
    const wrong = await login('agent', 'wrong-password');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.headers['set-cookie']).toBeUndefined();
    // Anything that differs between the two answers tells an attacker which usernames exist.
    expect(errorOf(unknown)).toEqual(errorOf(wrong));
  });

  it('returns 400 validation_failed naming the field when the login body lacks a password', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'agent' } });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('validation_failed');
    expect(errorOf(res).details.field).toBe('password');
  });

  it('returns 423 account_locked after 5 failures, even with the right password, until 15 minutes pass', async () => {
    for (let i = 1; i <= 4; i++) expect((await login('agent', `wrong-${i}`)).statusCode).toBe(401);
    const fifth = await login('agent', 'wrong-5');
    expect(fifth.statusCode).toBe(423);
    expect(errorOf(fifth).code).toBe('account_locked');
    expect(errorOf(fifth).message).toMatch(/locked for 15 minutes/);

    t.clock.advance(14 * MINUTE);
    const stillLocked = await login('agent', DEMO_PASSWORD);
    expect(stillLocked.statusCode).toBe(423);
    expect(errorOf(stillLocked).code).toBe('account_locked');
    expect(errorOf(stillLocked).details.retryAfterSeconds).toBe(60);
    expect(stillLocked.headers['set-cookie']).toBeUndefined();

    // Another account is not affected by the lock.
    expect((await login('reviewer', DEMO_PASSWORD)).statusCode).toBe(200);

    t.clock.advance(1 * MINUTE + 1000);
    expect((await login('agent', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('checks at most 5 of 20 parallel wrong passwords before locking', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login('agent', `wrong-parallel-${i}`, '10.9.9.9')));
    const checked = answers.filter((r) => r.statusCode === 401).length;
    const locked = answers.filter((r) => r.statusCode === 423).length;
    process.stdout.write(`[lock-out ${dialect}] 20 parallel wrong passwords: ${checked} checked (401), ${locked} refused (423)\n`);
    // Four are checked and answered 401; the fifth check locks and answers 423, as do the 15 refused unchecked.
    expect(checked).toBe(4);
    expect(locked).toBe(16);
    const row = await t.db.kysely.selectFrom('login_throttle').selectAll().where('source', '=', '10.9.9.9').executeTakeFirstOrThrow();
    expect(row.locked_until).toBe(new Date(t.clock().getTime() + 15 * MINUTE).toISOString());
  });

  it('locks the account only for the address the failures came from', async () => {
    for (let i = 1; i <= 5; i++) await login('agent', `wrong-${i}`, '10.2.2.2');
    expect((await login('agent', DEMO_PASSWORD, '10.2.2.2')).statusCode).toBe(423);
    // The real user elsewhere still logs in: an attacker cannot lock anyone out from his own address.
    expect((await login('agent', DEMO_PASSWORD, '10.3.3.3')).statusCode).toBe(200);
  });

  it('doubles the lock each time it is earned again', async () => {
    const lockOnce = async () => {
      for (let i = 1; i <= 5; i++) await login('agent', `wrong-${i}`);
      return errorOf(await login('agent', DEMO_PASSWORD)).details.retryAfterSeconds;
    };
    expect(await lockOnce()).toBe(15 * 60);
    t.clock.advance(15 * MINUTE + 1000);
    expect(await lockOnce()).toBe(30 * 60);
    expect([2, 3, 7, 50].map(lockMinutes)).toEqual([60, 120, 24 * 60, 24 * 60]);
    // A successful login forgets the earlier locks.
    t.clock.advance(30 * MINUTE + 1000);
    expect((await login('agent', DEMO_PASSWORD)).statusCode).toBe(200);
    expect(await lockOnce()).toBe(15 * 60);
  });

  it('answers an unknown username exactly like a known one, lock-out included', async () => {
    const seq = async (username: string, source: string) => {
      const out: string[] = [];
      for (let i = 1; i <= 6; i++) {
        const r = await login(username, `wrong-${i}`, source);
        const e = errorOf(r);
        out.push(`${r.statusCode} ${e.code} ${e.message}`);
      }
      return out;
    };
    const known = await seq('agent', '10.4.4.4');
    const unknown = await seq('no-such-user', '10.5.5.5');
    expect(unknown).toEqual(known);
    expect(known.slice(3)).toEqual([
      '401 invalid_credentials Wrong username or password',
      expect.stringMatching(/^423 account_locked .*locked for 15 minutes/),
      expect.stringMatching(/^423 account_locked .*locked for 15 minutes/),
    ]);
  });

  it('answers an unknown username in about the time of a wrong password (the hash is checked either way)', async () => {
    const time = async (username: string, source: string) => {
      const start = performance.now();
      for (let i = 0; i < 3; i++) await login(username, `wrong-${i}`, `${source}.${i}`);
      return performance.now() - start;
    };
    await time('agent', '10.6.0');
    const known = await time('agent', '10.6.1');
    const unknown = await time('no-such-user', '10.6.2');
    expect(unknown / known).toBeGreaterThan(0.3);
    expect(unknown / known).toBeLessThan(3);
  });

  it('returns 429 rate_limited after 20 logins a minute from one IP while other IPs may still log in', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await login(`nobody${i}`, 'wrong-password', '10.1.1.1');
      expect(res.statusCode, `attempt ${i + 1}`).toBe(401);
    }
    const throttled = await login('agent', DEMO_PASSWORD, '10.1.1.1');
    expect(throttled.statusCode).toBe(429);
    expect(errorOf(throttled).code).toBe('rate_limited');
    expect(throttled.headers['set-cookie']).toBeUndefined();

    expect((await login('agent', DEMO_PASSWORD, '10.1.1.2')).statusCode).toBe(200);
  });

  it('sets an httpOnly SameSite=Strict session cookie on login and /me answers with roles and permissions', async () => {
    const res = await login('agent', DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^gv_session=[^;]{20,};/);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Strict/i);
    expect(setCookie).toMatch(/;\s*Path=\//i);

    const cookie = res.cookies.find((c) => c.name === 'gv_session');
    const answer = await me({ cookie: `gv_session=${cookie?.value}` });
    expect(answer.statusCode).toBe(200);
    const { user } = JSON.parse(answer.body) as { user: { username: string; roles: string[]; permissions: string[] } };
    expect(user.username).toBe('agent');
    expect(user.roles).toEqual(['agent']);
    expect(user.permissions).toContain('ticket.intake');
    expect(user.permissions).not.toContain('admin.users');
  });

  it('returns 401 when the session has been idle for more than 30 minutes', async () => {
    const h = await t.login('agent');
    t.clock.advance(29 * MINUTE);
    expect((await me(h)).statusCode).toBe(200);
    t.clock.advance(29 * MINUTE);
    expect((await me(h)).statusCode).toBe(200);
    t.clock.advance(31 * MINUTE);
    const res = await me(h);
    expect(res.statusCode).toBe(401);
    expect(errorOf(res).code).toBe('unauthenticated');
  });

  it('returns 401 after 12 hours even when the session was used all along', async () => {
    const h = await t.login('agent');
    for (let elapsed = 20; elapsed < 12 * 60; elapsed += 20) {
      t.clock.advance(20 * MINUTE);
      expect((await me(h)).statusCode, `after ${elapsed} minutes`).toBe(200);
    }
    t.clock.advance(21 * MINUTE);
    expect((await me(h)).statusCode).toBe(401);
  });

  it('returns 401 for the session after logout', async () => {
    const h = await t.login('agent');
    const other = await t.login('agent');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: h });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/^gv_session=;/);
    expect((await me(h)).statusCode).toBe(401);
    // Logout ends this session only.
    expect((await me(other)).statusCode).toBe(200);
  });

  it('returns 401 on logout without a session', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout' });
    expect(res.statusCode).toBe(401);
  });

  it('returns 403 csrf_rejected for a cross-site request carrying a valid cookie', async () => {
    const h = await t.login('agent');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { ...h, origin: 'http://evil.example' },
    });
    expect(res.statusCode).toBe(403);
    expect(errorOf(res).code).toBe('csrf_rejected');
    // The session survived the forged logout.
    expect((await me(h)).statusCode).toBe(200);

    const fetchMeta = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: h.cookie as string, 'sec-fetch-site': 'cross-site' },
    });
    expect(fetchMeta.statusCode).toBe(403);
    expect(errorOf(fetchMeta).code).toBe('csrf_rejected');
  });

  it('returns 401 for a password change without a session', async () => {
    const res = await changePassword({}, DEMO_PASSWORD, 'a-new-password-1');
    expect(res.statusCode).toBe(401);
  });

  it('returns 400 naming currentPassword when the current password is wrong', async () => {
    const h = await t.login('agent');
    const res = await changePassword(h, 'not-my-password', 'a-new-password-1');
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('validation_failed');
    expect(errorOf(res).details.field).toBe('currentPassword');
  });

  it('returns 400 weak_password naming newPassword for a short, common or username-based password', async () => {
    const h = await t.login('agent');
    for (const weak of ['short', 'password123', 'QWERTYUIOP', '1qaz2wsx3edc', 'aaaaabbbbb', 'agent-2026-x', '123456789012'.slice(0, 9)]) {
      const res = await changePassword(h, DEMO_PASSWORD, weak);
      expect(res.statusCode, weak).toBe(400);
      expect(errorOf(res).code, weak).toBe('weak_password');
      expect(errorOf(res).details.field, weak).toBe('newPassword');
    }
    expect((await login('agent', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('returns 403 password_change_required for every call but me, logout and password until the password changes', async () => {
    const admin = await t.login('admin');
    const unit = await t.db.kysely.selectFrom('org_units').select('id').where('code', '=', 'SFX-CG').executeTakeFirstOrThrow();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: { username: 'newbie', displayName: '新人', unitId: unit.id, roles: ['handler'], password: 'first-time-pass-1' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const h = await t.login('newbie', 'first-time-pass-1');
    for (const url of ['/api/v1/tickets', '/api/v1/notifications/', '/api/v1/classes']) {
      const res = await t.app.inject({ method: 'GET', url, headers: h });
      expect(res.statusCode, url).toBe(403);
      expect(errorOf(res).code).toBe('password_change_required');
    }
    const who = await me(h);
    expect(who.statusCode).toBe(200);
    expect(JSON.parse(who.body).user.mustChangePassword).toBe(true);

    expect((await changePassword(h, 'first-time-pass-1', 'my-own-secret-77')).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: h })).statusCode).toBe(200);
    expect(JSON.parse((await me(h)).body).user.mustChangePassword).toBe(false);
  });

  it('changes the password: the old one stops working and other sessions end', async () => {
    const h = await t.login('agent');
    const other = await t.login('agent');
    const res = await changePassword(h, DEMO_PASSWORD, 'a-new-password-1');
    expect(res.statusCode).toBe(200);

    expect((await login('agent', DEMO_PASSWORD)).statusCode).toBe(401);
    expect((await login('agent', 'a-new-password-1')).statusCode).toBe(200);
    expect((await me(other)).statusCode).toBe(401);
    expect((await me(h)).statusCode).toBe(200);
  });

  it('returns 403 when a non-admin creates an API token', async () => {
    const h = await t.login('agent');
    const unit = await t.db.kysely.selectFrom('org_units').select('id').where('code', '=', 'SFX-KFZX').executeTakeFirstOrThrow();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: h,
      payload: { name: 'ivr', roles: ['agent'], unitId: unit.id },
    });
    expect(res.statusCode).toBe(403);
    expect(errorOf(res).code).toBe('forbidden');
  });

  it('returns 400 naming roles when an API token would hold admin', async () => {
    const h = await t.login('admin');
    const unit = await t.db.kysely.selectFrom('org_units').select('id').where('code', '=', 'SFX-KFZX').executeTakeFirstOrThrow();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: h,
      payload: { name: 'root', roles: ['agent', 'admin'], unitId: unit.id },
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).details.field).toBe('roles');
    const count = await t.db.kysely
      .selectFrom('api_tokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('returns 401 for an unknown bearer token', async () => {
    const res = await me({ authorization: 'Bearer gv_not-a-real-token' });
    expect(res.statusCode).toBe(401);
    expect(errorOf(res).code).toBe('unauthenticated');
  });

  it('issues an API token that works as a bearer, is stored hashed, and stops working when revoked', async () => {
    const h = await t.login('admin');
    const unit = await t.db.kysely.selectFrom('org_units').select('id').where('code', '=', 'SFX-KFZX').executeTakeFirstOrThrow();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: h,
      payload: { name: '95598 IVR', roles: ['agent'], unitId: unit.id },
    });
    expect(created.statusCode).toBe(201);
    const { id, token } = JSON.parse(created.body) as { id: number; token: string };
    expect(token.length).toBeGreaterThanOrEqual(24);

    const bearer = { authorization: `Bearer ${token}` };
    const who = await me(bearer);
    expect(who.statusCode).toBe(200);
    const { user } = JSON.parse(who.body) as { user: { roles: string[]; permissions: string[]; unitId: number } };
    expect(user.roles).toEqual(['agent']);
    expect(user.unitId).toBe(unit.id);
    expect(user.permissions).not.toContain('admin.users');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: bearer })).statusCode).toBe(200);
    // The token's roles bound what it may do.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer })).statusCode).toBe(403);

    const rows = await t.db.kysely.selectFrom('api_tokens').selectAll().execute();
    expect(rows).toHaveLength(1);
    for (const value of Object.values(rows[0] as Record<string, unknown>)) expect(String(value)).not.toContain(token.slice(7));
    expect(rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);

    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/api-tokens', headers: h });
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(token.slice(7));

    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/v1/api-tokens/${id}`, headers: h });
    expect(revoked.statusCode).toBe(200);
    const after = await me(bearer);
    expect(after.statusCode).toBe(401);
    expect(errorOf(after).code).toBe('unauthenticated');
  });
});
