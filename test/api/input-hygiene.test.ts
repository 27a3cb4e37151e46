import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, makeTestApp, type TestApp } from '../harness.ts';
import { multipart, PNG } from '../portal-helpers.ts';

const errorOf = (res: { body: string }) =>
  (JSON.parse(res.body) as { error: { code: string; message: string; details: Record<string, unknown> } }).error;

describeEachDb('input hygiene at the edge', (dialect) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let leader: Record<string, string>;
  beforeAll(async () => {
    t = await makeTestApp(dialect);
    admin = await t.login('admin');
    leader = await t.login('leader');
  });
  afterAll(async () => t?.close());

  it('returns 400 naming the key for an unknown key in an admin PATCH or POST body, and changes nothing', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/scripts', headers: admin });
    const script = (list.json() as { items: Array<{ id: number }> }).items[0] as { id: number };
    for (const body of [{ id: 9999 }, { a: 1 }, { title: '改名', id: 9999 }]) {
      const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/scripts/${script.id}`, headers: admin, payload: body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).code).toBe('validation_failed');
    }
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/scripts/${script.id}`, headers: admin })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/scripts/9999', headers: admin })).statusCode).toBe(404);
    const user = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: { username: 'extra', displayName: 'x', unitId: 1, roles: ['agent'], password: 'a-good-password-1', isRoot: true },
    });
    expect(user.statusCode).toBe(400);
  });

  it('returns 400 naming the field for an impossible period, day or forged cursor', async () => {
    for (const [url, field] of [
      ['/api/v1/stats?period=2026-02-30', 'period'],
      ['/api/v1/stats?period=2026-W60', 'period'],
      ['/api/v1/stats?from=2026-02-30&to=2026-03-01', 'from'],
      [`/api/v1/tickets?cursor=${Buffer.from(JSON.stringify({ p: 0, v: { x: 1 }, id: 1 })).toString('base64url')}`, 'cursor'],
      [`/api/v1/tickets?cursor=${Buffer.from(JSON.stringify({ p: 0, v: null, id: 1e300 })).toString('base64url')}`, 'cursor'],
      ['/api/v1/tickets?cursor=%22%2A', 'cursor'],
    ] as const) {
      const res = await t.app.inject({ method: 'GET', url, headers: leader });
      expect(res.statusCode, `${url} ${res.body}`).toBe(400);
      expect(errorOf(res).details.field, url).toBe(field);
    }
  });

  it('strips control characters from portal input so the order-list .xlsx stays readable, and bidi controls from file names', async () => {
    const form = multipart(
      {
        kind: 'complaint',
        classCode: 'business.billing',
        name: '张\u0001建国',
        phone: '13912345678',
        location: '人民路\u000218号',
        description: '电费\u0001\u0002突然翻倍\u0000，要求核查电表。\u001b[31m',
      },
      [{ field: 'photos', name: 'photo\u202Egnp.exe', type: 'image/png', data: PNG }],
    );
    const filed = await t.app.inject({ method: 'POST', url: '/api/public/portal/submissions', ...form });
    expect(filed.statusCode, filed.body).toBe(201);
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/public/portal/submissions',
      payload: { kind: 'complaint', phone: '13912345679', description: '表箱\u0001\u0002门坏了\u0007，请尽快处理。' },
    });
    expect(json.statusCode, json.body).toBe(201);

    const rows = await t.db.kysely.selectFrom('tickets').select(['description', 'location']).execute();
    const descriptions = rows.map((r) => r.description);
    expect(descriptions).toContain('电费突然翻倍，要求核查电表。[31m');
    expect(descriptions).toContain('表箱门坏了，请尽快处理。');
    const controls = [...rows.map((r) => `${r.description}${r.location}`).join('')].filter((c) => c < ' ' && !'\t\n\r'.includes(c));
    expect(controls).toEqual([]);
    const names = (await t.db.kysely.selectFrom('attachments').select('name').execute()).map((a) => a.name);
    expect(names).toEqual(['photognp.exe']);

    const exported = await t.app.inject({ method: 'GET', url: '/api/v1/stats/export/tickets?format=xlsx', headers: leader });
    expect(exported.statusCode, exported.body.slice(0, 200)).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    book.worksheets[0]?.eachRow((row) => {
      row.eachCell((c) => {
        cells.push(String(c.value));
      });
    });
    expect(cells.join('\n')).toContain('表箱门坏了');
  });
});
