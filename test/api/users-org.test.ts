import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, describeEachDb, makeTestApp, type TestApp } from '../harness.ts';

type Headers = Record<string, string>;
type ApiError = { code: string; message: string; details: Record<string, unknown> };
type Unit = { id: number; code: string; name: string; kind: string; parentId: number | null; path: string; active: boolean };
type User = { id: number; username: string; roles: string[]; active: boolean; unitId: number; mustChangePassword: boolean };

const errorOf = (res: { body: string }) => (JSON.parse(res.body) as { error: ApiError }).error;

describeEachDb('users and org-units API', (dialect) => {
  let t: TestApp;
  let admin: Headers;
  beforeEach(async () => {
    t = await makeTestApp(dialect);
    admin = await t.login('admin');
  });
  afterEach(async () => t?.close());

  const unitIdOf = async (code: string): Promise<number> =>
    (await t.db.kysely.selectFrom('org_units').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  const post = (url: string, headers: Headers, payload: unknown) =>
    t.app.inject({ method: 'POST', url, headers, payload: payload as object });
  const patch = (url: string, headers: Headers, payload: unknown) =>
    t.app.inject({ method: 'PATCH', url, headers, payload: payload as object });
  const del = (url: string, headers: Headers) => t.app.inject({ method: 'DELETE', url, headers });
  const get = (url: string, headers: Headers = {}) => t.app.inject({ method: 'GET', url, headers });

  const createUnit = async (body: Record<string, unknown>): Promise<Unit> => {
    const res = await post('/api/v1/org-units', admin, { areaType: 'rural', ...body });
    expect(res.statusCode, res.body).toBe(201);
    return (JSON.parse(res.body) as { unit: Unit }).unit;
  };
  const validUser = async (overrides: Record<string, unknown> = {}) => ({
    username: 'zhangsan',
    displayName: '张三',
    unitId: await unitIdOf('SFX-CG'),
    roles: ['handler'],
    password: 'a-good-password-1',
    ...overrides,
  });
  const validUnit = async (overrides: Record<string, unknown> = {}) => ({
    code: 'SFX-NEW',
    name: '新建供电所',
    kind: 'station',
    parentId: await unitIdOf('SFX'),
    areaType: 'rural',
    customerCount: 5000,
    ...overrides,
  });
  const expectField = (res: { statusCode: number; body: string }, field: string) => {
    expect(res.statusCode, res.body).toBe(400);
    expect(errorOf(res).code).toBe('validation_failed');
    expect(errorOf(res).details.field, res.body).toBe(field);
  };

  describe('auth and validation', () => {
    it('returns 401 for the user list without a session', async () => {
      expect((await get('/api/v1/users')).statusCode).toBe(401);
      expect((await get('/api/v1/org-units')).statusCode).toBe(401);
    });

    it('returns 403 forbidden when an agent lists users or creates a unit', async () => {
      const agent = await t.login('agent');
      const list = await get('/api/v1/users', agent);
      expect(list.statusCode).toBe(403);
      expect(errorOf(list).code).toBe('forbidden');

      const create = await post('/api/v1/org-units', agent, await validUnit());
      expect(create.statusCode).toBe(403);
      expect(errorOf(create).code).toBe('forbidden');
      expect(await t.db.kysely.selectFrom('org_units').select('id').where('code', '=', 'SFX-NEW').executeTakeFirst()).toBeUndefined();

      const user = await post('/api/v1/users', agent, await validUser());
      expect(user.statusCode).toBe(403);
    });

    it('returns 400 invalid_json for a malformed JSON body', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: { ...admin, 'content-type': 'application/json' },
        payload: '{"username": "zhangsan", "roles": [',
      });
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).code).toBe('invalid_json');
    });

    it('returns 400 naming the field for each invalid field of a new user', async () => {
      const cases: Array<[string, Record<string, unknown>, string]> = [
        ['bad username pattern', { username: 'zhang san!' }, 'username'],
        ['username too short', { username: 'z' }, 'username'],
        ['empty display name', { displayName: '' }, 'displayName'],
        ['unit id not an integer', { unitId: 'SFX-CG' }, 'unitId'],
        ['empty roles', { roles: [] }, 'roles'],
        ['unknown role', { roles: ['handler', 'superuser'] }, 'roles'],
        ['short password', { password: 'short' }, 'password'],
        ['password equal to the username', { password: 'zhangsan' }, 'password'],
        ['unknown unit', { unitId: 999_999 }, 'unitId'],
        ['bad phone', { phone: 'call me' }, 'phone'],
        ['taken username', { username: 'handler' }, 'username'],
      ];
      for (const [label, overrides, field] of cases) {
        const res = await post('/api/v1/users', admin, await validUser(overrides));
        expect(res.statusCode, label).toBe(400);
        expect(errorOf(res).details.field, `${label}: ${res.body}`).toBe(field);
      }
      const { roles: _roles, ...noRoles } = await validUser();
      expectField(await post('/api/v1/users', admin, noRoles), 'roles');
      const { password: _password, ...noPassword } = await validUser();
      expectField(await post('/api/v1/users', admin, noPassword), 'password');

      const created = await t.db.kysely.selectFrom('users').select('id').where('username', '=', 'zhangsan').executeTakeFirst();
      expect(created).toBeUndefined();
    });

    it('returns 400 naming the field for each invalid field of a new unit', async () => {
      const station = await unitIdOf('SFX-CG');
      const cases: Array<[string, Record<string, unknown>, string]> = [
        ['kind not in the list', { kind: 'region' }, 'kind'],
        ['bad code pattern', { code: 'SFX NEW/1' }, 'code'],
        ['empty name', { name: '' }, 'name'],
        ['area type not in the list', { areaType: 'suburban' }, 'areaType'],
        ['negative customer count', { customerCount: -1 }, 'customerCount'],
        ['parent is a station', { parentId: station }, 'parentId'],
        ['unknown parent', { parentId: 999_999 }, 'parentId'],
        ['station at the top of the tree', { parentId: null }, 'parentId'],
        ['code already used', { code: 'SFX-CG' }, 'code'],
      ];
      for (const [label, overrides, field] of cases) {
        const res = await post('/api/v1/org-units', admin, await validUnit(overrides));
        expect(res.statusCode, label).toBe(400);
        expect(errorOf(res).details.field, `${label}: ${res.body}`).toBe(field);
      }
      const { parentId: _parentId, ...noParent } = await validUnit();
      expectField(await post('/api/v1/org-units', admin, noParent), 'parentId');

      expect(await t.db.kysely.selectFrom('org_units').select('id').where('code', '=', 'SFX-NEW').executeTakeFirst()).toBeUndefined();
    });

    it('returns 400 naming parentId when a unit would move into its own subtree', async () => {
      const company = await unitIdOf('SFX');
      const outer = await createUnit({ code: 'D-OUT', name: '外层部门', kind: 'department', parentId: company });
      const inner = await createUnit({ code: 'D-IN', name: '内层部门', kind: 'department', parentId: outer.id });

      expectField(await patch(`/api/v1/org-units/${outer.id}`, admin, { parentId: inner.id }), 'parentId');
      expectField(await patch(`/api/v1/org-units/${outer.id}`, admin, { parentId: outer.id }), 'parentId');
      expectField(await patch(`/api/v1/org-units/${outer.id}`, admin, { parentId: await unitIdOf('SFX-CG') }), 'parentId');

      // A failed move changes nothing, not even the other fields of the same request.
      expectField(await patch(`/api/v1/org-units/${outer.id}`, admin, { name: '改名', parentId: inner.id }), 'parentId');
      const row = await t.db.kysely.selectFrom('org_units').selectAll().where('id', '=', outer.id).executeTakeFirstOrThrow();
      expect(row.parent_id).toBe(company);
      expect(row.name).toBe('外层部门');
    });

    it('returns 409 when deleting a unit that has users or sub-units', async () => {
      const withUsers = await del(`/api/v1/org-units/${await unitIdOf('SFX-CG')}`, admin);
      expect(withUsers.statusCode).toBe(409);
      expect(errorOf(withUsers).code).toBe('conflict');
      expect(errorOf(withUsers).details.users).toBeGreaterThan(0);
      const withChildren = await del(`/api/v1/org-units/${await unitIdOf('SFX')}`, admin);
      expect(withChildren.statusCode).toBe(409);
      expect(errorOf(withChildren).code).toBe('unit_has_children');
      expect(await t.db.kysely.selectFrom('org_units').select('id').where('code', 'in', ['SFX', 'SFX-CG']).execute()).toHaveLength(2);
    });

    it('returns 409 unit_has_orders when deleting a unit that has work orders', async () => {
      const agent = await t.login('agent');
      const station = await createUnit({ code: 'SFX-EMPTY', name: '空白供电所', kind: 'station', parentId: await unitIdOf('SFX') });
      const intake = await post('/api/v1/tickets', agent, {
        kind: 'complaint',
        channel: 'phone',
        classCode: 'business.billing',
        description: '电费突然翻倍，要求核查',
        customer: { name: '张三', phone: '13800138000' },
      });
      expect(intake.statusCode, intake.body).toBe(201);
      const ticketId = (JSON.parse(intake.body) as { ticket: { id: number } }).ticket.id;
      const dispatch = await post(`/api/v1/tickets/${ticketId}/actions/dispatch`, agent, { version: 1, unitId: station.id });
      expect(dispatch.statusCode, dispatch.body).toBe(200);

      const res = await del(`/api/v1/org-units/${station.id}`, admin);
      expect(res.statusCode).toBe(409);
      expect(errorOf(res).code).toBe('unit_has_orders');
      expect((await get(`/api/v1/org-units/${station.id}`, admin)).statusCode).toBe(200);

      // Deactivating is the way out for such a unit.
      const off = await patch(`/api/v1/org-units/${station.id}`, admin, { active: false });
      expect(off.statusCode).toBe(200);
      expect((JSON.parse(off.body) as { unit: Unit }).unit.active).toBe(false);
    });

    it('returns 409 rather than 500 when deleting a unit an API token is scoped to', async () => {
      const station = await createUnit({ code: 'SFX-TOK', name: '接口供电所', kind: 'station', parentId: await unitIdOf('SFX') });
      const token = await post('/api/v1/api-tokens', admin, { name: 'gis', roles: ['analyst'], unitId: station.id });
      expect(token.statusCode).toBe(201);
      const res = await del(`/api/v1/org-units/${station.id}`, admin);
      expect(res.statusCode, res.body).toBe(409);
    });
  });

  describe('org units', () => {
    it('creates, renames, moves and deactivates a unit', async () => {
      const company = await unitIdOf('SFX');
      const dept = await createUnit({ code: 'SFX-NEWD', name: '新部门', kind: 'department', parentId: company, areaType: 'urban' });
      expect(dept.parentId).toBe(company);
      const station = await createUnit({ code: 'SFX-NEW', name: '新建供电所', kind: 'station', parentId: company, customerCount: 5000 });
      expect(station.kind).toBe('station');
      expect(station.path).toMatch(new RegExp(`/${company}/${station.id}/$`));

      const renamed = await patch(`/api/v1/org-units/${station.id}`, admin, { name: '新城供电所', customerCount: 6200 });
      expect(renamed.statusCode).toBe(200);
      expect((JSON.parse(renamed.body) as { unit: Unit }).unit.name).toBe('新城供电所');

      const moved = await patch(`/api/v1/org-units/${station.id}`, admin, { parentId: dept.id });
      expect(moved.statusCode, moved.body).toBe(200);
      const movedUnit = (JSON.parse(moved.body) as { unit: Unit }).unit;
      expect(movedUnit.parentId).toBe(dept.id);
      expect(movedUnit.path).toBe(`${dept.path}${station.id}/`);

      const off = await patch(`/api/v1/org-units/${station.id}`, admin, { active: false });
      expect(off.statusCode).toBe(200);
      const list = JSON.parse((await get('/api/v1/org-units', admin)).body) as { items: Unit[] };
      expect(list.items.find((u) => u.id === station.id)).toMatchObject({ name: '新城供电所', active: false, parentId: dept.id });

      // An inactive unit takes no new users.
      expectField(await post('/api/v1/users', admin, await validUser({ unitId: station.id })), 'unitId');
    });

    it('deletes an unused unit', async () => {
      const station = await createUnit({ code: 'SFX-TMP', name: '临时供电所', kind: 'station', parentId: await unitIdOf('SFX') });
      const res = await del(`/api/v1/org-units/${station.id}`, admin);
      expect(res.statusCode).toBe(200);
      const gone = await get(`/api/v1/org-units/${station.id}`, admin);
      expect(gone.statusCode).toBe(404);
      expect(errorOf(gone).code).toBe('not_found');
    });
  });

  describe('users', () => {
    it('creates a user with roles who can then log in', async () => {
      const res = await post('/api/v1/users', admin, await validUser({ roles: ['handler', 'unit_lead'] }));
      expect(res.statusCode, res.body).toBe(201);
      const { user } = JSON.parse(res.body) as { user: User & { passwordHash?: string } };
      expect(user).toMatchObject({ username: 'zhangsan', active: true, mustChangePassword: true });
      expect([...user.roles].sort()).toEqual(['handler', 'unit_lead']);
      expect(res.body).not.toContain('argon2');

      const list = JSON.parse((await get('/api/v1/users', admin)).body) as { items: User[] };
      expect(list.items.map((u) => u.username)).toContain('zhangsan');

      const h = await t.login('zhangsan', 'a-good-password-1');
      const me = JSON.parse((await get('/api/v1/auth/me', h)).body) as { user: { roles: string[] } };
      expect([...me.user.roles].sort()).toEqual(['handler', 'unit_lead']);
    });

    it('changes roles of a user', async () => {
      const id = (await t.db.kysely.selectFrom('users').select('id').where('username', '=', 'analyst').executeTakeFirstOrThrow()).id;
      const res = await patch(`/api/v1/users/${id}`, admin, { roles: ['analyst', 'reviewer'] });
      expect(res.statusCode, res.body).toBe(200);
      expect([...(JSON.parse(res.body) as { user: User }).user.roles].sort()).toEqual(['analyst', 'reviewer']);
      const h = await t.login('analyst');
      const me = JSON.parse((await get('/api/v1/auth/me', h)).body) as { user: { roles: string[]; permissions: string[] } };
      expect([...me.user.roles].sort()).toEqual(['analyst', 'reviewer']);
      expect(me.user.permissions).toContain('ticket.approve');

      expectField(await patch(`/api/v1/users/${id}`, admin, { roles: ['wizard'] }), 'roles');
    });

    it('deactivates a user: the session stops working and login fails', async () => {
      const h = await t.login('handler2');
      expect((await get('/api/v1/auth/me', h)).statusCode).toBe(200);
      const id = (await t.db.kysely.selectFrom('users').select('id').where('username', '=', 'handler2').executeTakeFirstOrThrow()).id;
      const res = await patch(`/api/v1/users/${id}`, admin, { active: false });
      expect(res.statusCode).toBe(200);
      expect((JSON.parse(res.body) as { user: User }).user.active).toBe(false);
      expect((await get('/api/v1/auth/me', h)).statusCode).toBe(401);
      const again = await post('/api/v1/auth/login', {}, { username: 'handler2', password: DEMO_PASSWORD });
      expect(again.statusCode).toBe(401);
    });

    it('returns 400 when the admin would deactivate themselves', async () => {
      const id = (await t.db.kysely.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id;
      expectField(await patch(`/api/v1/users/${id}`, admin, { active: false }), 'active');
      expect((await get('/api/v1/auth/me', admin)).statusCode).toBe(200);
    });

    it('resets a password: the new one works, the old one and existing sessions do not', async () => {
      const h = await t.login('handler');
      const id = (await t.db.kysely.selectFrom('users').select('id').where('username', '=', 'handler').executeTakeFirstOrThrow()).id;
      const weak = await post(`/api/v1/users/${id}/password`, admin, { password: 'short' });
      expect(weak.statusCode).toBe(400);
      expect(errorOf(weak)).toMatchObject({ code: 'weak_password', details: { field: 'password' } });

      const res = await post(`/api/v1/users/${id}/password`, admin, { password: 'reset-password-1' });
      expect(res.statusCode).toBe(200);
      expect((await get('/api/v1/auth/me', h)).statusCode).toBe(401);
      expect((await post('/api/v1/auth/login', {}, { username: 'handler', password: DEMO_PASSWORD })).statusCode).toBe(401);
      expect((await post('/api/v1/auth/login', {}, { username: 'handler', password: 'reset-password-1' })).statusCode).toBe(200);
      const row = await t.db.kysely.selectFrom('users').select('must_change_password').where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.must_change_password).toBe(1);
    });

    it('returns 404 for a user that does not exist', async () => {
      const res = await patch('/api/v1/users/999999', admin, { displayName: '无此人' });
      expect(res.statusCode).toBe(404);
      expect(errorOf(res).code).toBe('not_found');
    });
  });

  describe('edges', () => {
    it('returns 404 with the error envelope for an unknown route', async () => {
      const res = await get('/api/v1/no-such-thing', admin);
      expect(res.statusCode).toBe(404);
      expect(JSON.parse(res.body)).toEqual({ error: { code: 'not_found', message: expect.any(String), details: {} } });
    });

    it('answers /healthz and /readyz with the dialect', async () => {
      const health = await get('/healthz');
      expect(health.statusCode).toBe(200);
      const ready = await get('/readyz');
      expect(ready.statusCode).toBe(200);
      expect(JSON.parse(ready.body)).toMatchObject({ status: 'ready', database: dialect });
    });

    it('returns 503 from /readyz when the database is gone', async () => {
      await t.db.close();
      const ready = await get('/readyz');
      expect(ready.statusCode).toBe(503);
      expect(errorOf(ready).code).toBe('database_unavailable');
    });

    it('lists /api/v1/tickets in the OpenAPI document', async () => {
      const res = await get('/api/openapi.json');
      expect(res.statusCode).toBe(200);
      const doc = JSON.parse(res.body) as { openapi: string; paths: Record<string, unknown> };
      expect(doc.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.paths)).toContain('/api/v1/tickets');
      expect(Object.keys(doc.paths)).toContain('/api/v1/auth/login');
    });

    it('sends security headers', async () => {
      for (const url of ['/healthz', '/api/v1/auth/me', '/api/v1/no-such-thing']) {
        const res = await get(url);
        expect(res.headers['x-content-type-options'], url).toBe('nosniff');
        expect(res.headers['content-security-policy'], url).toMatch(/default-src 'self'/);
        expect(res.headers['content-security-policy'], url).toMatch(/frame-ancestors 'none'/);
      }
    });
  });
});
