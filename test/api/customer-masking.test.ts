import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../core/taxonomy.ts';
import { CUSTOMER_DATA_POLICY } from '../../server/domain/customer-data.ts';
import { act, complaintBody, intake, unitId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;

/** The demo users who read orders, by their one role. */
const READERS: ReadonlyArray<{ user: string; role: Role }> = [
  { user: 'agent', role: 'agent' },
  { user: 'handler', role: 'handler' },
  { user: 'unitlead', role: 'unit_lead' },
  { user: 'reviewer', role: 'reviewer' },
  { user: 'discipline', role: 'discipline' },
  { user: 'leader', role: 'leader' },
  { user: 'analyst', role: 'analyst' },
];

const RAW = { name: '欧阳建国', phone: '13987654321', account: '3209887766', address: '示范县城关镇人民路188号三单元' };
/** What a masked reader gets, written out by hand (not by the server's functions). */
const MASKED = { name: '欧***', phone: '139****4321', account: '****7766', address: '示范县城关镇***' };

interface Seen {
  name: unknown;
  phone: unknown;
  account: unknown;
  address: unknown;
}

async function xlsxRows(buf: Buffer): Promise<Array<Record<string, unknown>>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('工单清单') as ExcelJS.Worksheet;
  const rows: unknown[][] = [];
  ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  const head = rows[0] as string[];
  return rows.slice(1).map((r) => Object.fromEntries(head.map((k, i) => [k, r[i] ?? null])));
}

function csvRows(body: string): Array<Record<string, string>> {
  const lines = body
    .replace(/^\ufeff/, '')
    .trim()
    .split('\r\n');
  const split = (l: string) => l.split(',').map((c) => c.replace(/^"|"$/g, ''));
  const head = split(lines[0] as string);
  return lines.slice(1).map((l) => Object.fromEntries(split(l).map((c, i) => [head[i], c])));
}

describeEachDb('customer data: one masking policy per role, the same in JSON and exports', (dialect) => {
  let t: TestApp;
  const h: Record<string, H> = {};
  let id = 0;
  let number = '';

  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock: testClock('2026-11-02T02:00:00.000Z') });
    for (const r of [...READERS.map((x) => x.user), 'admin']) h[r] = await t.login(r);
    const res = await intake(
      t,
      h.agent as H,
      complaintBody({
        subject: '电费异常核查',
        location: RAW.address,
        lat: 43.81234,
        lng: 87.61234,
        customer: { name: RAW.name, phone: RAW.phone, account: RAW.account },
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    ({ id, number } = res.json().ticket);
    expect((await act(t, h.agent as H, id, 'dispatch', { version: 1, unitId: await unitId(t, 'SFX-CG') })).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  const get = (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: h[who] });

  describe('reads of one order', () => {
    it('answers 403 to a role that reads no orders (admin)', async () => {
      expect((await get('admin', `/api/v1/tickets?number=${number}`)).statusCode).toBe(403);
      expect((await get('admin', `/api/v1/stats/export/tickets?format=csv&number=${number}`)).statusCode).toBe(403);
    });

    for (const { user, role } of READERS) {
      const access = CUSTOMER_DATA_POLICY[role].access;
      it(`shows ${user} (${role}, ${access}) the same customer fields in list, detail, search, xlsx and csv`, async () => {
        const expected = access === 'full' ? RAW : MASKED;
        const fromView = (v: {
          customer: { name: unknown; phone: unknown; account: unknown; masked: boolean };
          location: unknown;
          lat: unknown;
          lng: unknown;
        }): Seen => {
          expect(v.customer.masked).toBe(access !== 'full');
          if (access === 'full') expect([v.lat, v.lng]).toEqual([43.81234, 87.61234]);
          else expect([v.lat, v.lng]).toEqual([null, null]);
          return { name: v.customer.name, phone: v.customer.phone, account: v.customer.account, address: v.location };
        };

        const list = await get(user, `/api/v1/tickets?number=${number}`);
        expect(list.statusCode, list.body).toBe(200);
        const listed = list.json().items.find((x: { id: number }) => x.id === id);
        const detail = await get(user, `/api/v1/tickets/${id}`);
        expect(detail.statusCode, detail.body).toBe(200);
        const search = await get(user, '/api/v1/search?q=电费异常核查');
        expect(search.statusCode, search.body).toBe(200);
        const found = search.json().items.find((x: { id: number }) => x.id === id);

        const xlsx = await get(user, `/api/v1/stats/export/tickets?format=xlsx&number=${number}`);
        expect(xlsx.statusCode).toBe(200);
        const [row] = await xlsxRows(xlsx.rawPayload);
        const csv = await get(user, `/api/v1/stats/export/tickets?format=csv&number=${number}`);
        expect(csv.statusCode).toBe(200);
        const [line] = csvRows(csv.body);
        const fromExport = (r: Record<string, unknown> | undefined): Seen => ({
          name: r?.客户姓名,
          phone: r?.联系电话,
          account: r?.户号,
          address: r?.地址,
        });

        const seen = {
          list: fromView(listed),
          detail: fromView(detail.json().ticket),
          search: fromView(found),
          xlsx: fromExport(row),
          csv: fromExport(line),
        };
        for (const [where, s] of Object.entries(seen)) expect(s, `${user} ${where}`).toEqual(expected);
        if (access !== 'full') {
          for (const [where, res] of Object.entries({ list, detail, search, csv }))
            for (const secret of Object.values(RAW)) expect(res.body, `${user} ${where}`).not.toContain(secret);
          expect(found.snippets.location).toBeNull();
        }
      });
    }

    it('masks the addresses of an outage’s linked orders for masked roles', async () => {
      const o = await t.app.inject({
        method: 'POST',
        url: '/api/v1/outages',
        headers: h.agent,
        payload: {
          kind: 'fault',
          title: '城关故障停电',
          cause: '线路故障',
          unitIds: [await unitId(t, 'SFX-CG')],
          startAt: '2026-11-02T01:00:00.000Z',
        },
      });
      expect(o.statusCode, o.body).toBe(201);
      const oid = o.json().outage?.id ?? o.json().id;
      await t.app.inject({ method: 'POST', url: `/api/v1/outages/${oid}/orders`, headers: h.agent, payload: { ticketId: id } });
      const leader = (await get('leader', `/api/v1/outages/${oid}`)).json();
      const agent = (await get('agent', `/api/v1/outages/${oid}`)).json();
      expect(agent.orders.find((x: { id: number }) => x.id === id).location).toBe(RAW.address);
      expect(leader.orders.find((x: { id: number }) => x.id === id).location).toBe(MASKED.address);
    });
  });

  describe('no reverse lookup by phone or account number', () => {
    const lookups = [
      `/api/v1/tickets?phone=${RAW.phone}`,
      `/api/v1/tickets?account=${RAW.account}`,
      `/api/v1/customers/lookup?phone=${RAW.phone}`,
      `/api/v1/customers/lookup?account=${RAW.account}`,
      `/api/v1/stats/export/tickets?format=csv&phone=${RAW.phone}`,
    ];

    for (const { user, role } of READERS.filter((r) => CUSTOMER_DATA_POLICY[r.role].access === 'masked'))
      it(`answers 403 customer_lookup_forbidden to ${user} (${role}) for every lookup by number`, async () => {
        for (const url of lookups) {
          const r = await get(user, url);
          expect(r.statusCode, `${user} ${url}`).toBe(403);
          expect(r.json().error.code).toBe('customer_lookup_forbidden');
          expect(r.body).not.toContain(number);
        }
      });

    it('answers roles that see customers in full, with the order', async () => {
      for (const user of ['agent', 'handler']) {
        const list = await get(user, `/api/v1/tickets?phone=${RAW.phone}`);
        expect(list.json().items.map((x: { id: number }) => x.id)).toEqual([id]);
        const lookup = await get(user, `/api/v1/customers/lookup?account=${RAW.account}`);
        expect(lookup.statusCode).toBe(200);
        expect(lookup.json().orders.map((x: { id: number }) => x.id)).toEqual([id]);
      }
    });
  });
});
