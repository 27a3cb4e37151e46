import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, complaintBody, intake, unitId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;

async function readXlsx(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

function rowsOf(ws: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  ws.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
  return out;
}

describeEachDb('statistics exports', (dialect) => {
  let t: TestApp;
  const h: Record<string, H> = {};
  const ORDERS = 1205; // more than two export pages of 500
  let firstNumber = '';

  beforeAll(async () => {
    // The test parses large workbooks on the same event loop: load shedding would answer 503 meanwhile.
    t = await makeTestApp(dialect, { clock: testClock('2026-11-02T02:00:00.000Z'), env: { GRIDVOICE_MAX_EVENT_LOOP_DELAY_MS: '0' } });
    for (const u of ['agent', 'leader', 'analyst', 'handler']) h[u] = await t.login(u);
    const cg = await unitId(t, 'SFX-CG');
    const first = await intake(t, h.agent as H, complaintBody({ location: '示范县城关镇人民路18号', subject: '=HYPERLINK("x")' }));
    await act(t, h.agent as H, JSON.parse(first.body).ticket.id, 'dispatch', { version: 1, unitId: cg });
    firstNumber = JSON.parse(first.body).ticket.number;
    // The rest are copies of the first with their own number and customer, inserted in bulk (the export is under
    // test here, not intake), then counted into the aggregates by a rebuild.
    const k = t.db.kysely;
    const { id: _id, ...base } = await k
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', JSON.parse(first.body).ticket.id)
      .executeTakeFirstOrThrow();
    const rows = [];
    for (let i = 1; i < ORDERS; i++)
      rows.push({
        ...base,
        number: `TS20261102${String(90000 + i)}`,
        unit_id: null,
        state: 'pending_dispatch',
        customer_id: null,
        customer_name: `客户${i}`,
        customer_phone: `139${String(10_000_000 + i).slice(-8)}`,
        customer_account: `32010${String(i).padStart(5, '0')}`,
        subject: '电费突然翻倍',
      });
    for (let i = 0; i < rows.length; i += 100)
      await k
        .insertInto('tickets')
        .values(rows.slice(i, i + 100))
        .execute();
    await t.app.services.stats.rebuild();
  }, 300_000);
  afterAll(async () => t?.close());

  const get = (headers: H, url: string) => t.app.inject({ method: 'GET', url, headers });

  describe('GET /api/v1/stats/export/tickets', () => {
    it('returns 401 without a session and 400 without a format', async () => {
      expect((await get({}, '/api/v1/stats/export/tickets?format=csv')).statusCode).toBe(401);
      expect((await get(h.leader as H, '/api/v1/stats/export/tickets')).statusCode).toBe(400);
    });

    it('streams every order to an .xlsx that opens with exceljs: Chinese headings, frozen header, masked phones for leaders', async () => {
      const r = await get(h.leader as H, '/api/v1/stats/export/tickets?format=xlsx');
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('spreadsheetml');
      expect(decodeURIComponent(String(r.headers['content-disposition']))).toContain('工单清单.xlsx');
      const wb = await readXlsx(r.rawPayload);
      const ws = wb.getWorksheet('工单清单') as ExcelJS.Worksheet;
      const rows = rowsOf(ws);
      expect(rows[0]?.slice(0, 3)).toEqual(['工单编号', '业务类型', '受理渠道']);
      expect(rows.length).toBe(ORDERS + 1);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      const phoneCol = (rows[0] as string[]).indexOf('联系电话');
      const phones = rows.slice(1).map((x) => x[phoneCol] as string);
      expect(phones.every((p) => /^\d{3}\*{4}\d{4}$/.test(p))).toBe(true);
      expect(r.rawPayload.toString('latin1')).not.toContain('13912345678');
      const numbers = new Set(rows.slice(1).map((x) => x[0]));
      expect(numbers.size).toBe(ORDERS);
    });

    it('writes CSV with a BOM; agents who may read phones get them, analysts get names, accounts and addresses masked', async () => {
      const agent = await get(h.agent as H, '/api/v1/stats/export/tickets?format=csv');
      expect(agent.statusCode).toBe(200);
      expect(agent.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const text = agent.body.replace(/^\ufeff/, '');
      const lines = text.trim().split('\r\n');
      expect(lines.length).toBe(ORDERS + 1);
      expect(lines[0]).toContain('工单编号,业务类型');
      expect(text).toContain('13912345678');
      // A formula-like subject is neutralised for Excel.
      expect(text).toContain(`"'=HYPERLINK(""x"")"`);
      // Analysts may not filter by phone (that would be a reverse lookup); by number they get the first order's row.
      const byPhone = await get(h.analyst as H, '/api/v1/stats/export/tickets?format=csv&phone=13912345678');
      expect(byPhone.statusCode).toBe(403);
      const analyst = await get(h.analyst as H, `/api/v1/stats/export/tickets?format=csv&number=${firstNumber}`);
      const a = analyst.body;
      expect(
        a
          .replace(/^\ufeff/, '')
          .trim()
          .split('\r\n').length,
      ).toBe(2);
      expect(a).not.toContain('13912345678');
      expect(a).not.toContain('张建国');
      expect(a).toContain('张**');
      expect(a).toContain('****0001');
      expect(a).toContain('示范县城关镇***');
      expect(a).not.toContain('人民路18号');
    });

    it('exports only the filtered orders in scope (handlers see their unit only)', async () => {
      const r = await get(h.handler as H, '/api/v1/stats/export/tickets?format=csv');
      expect(r.statusCode).toBe(200);
      expect(r.body.trim().split('\r\n').length).toBe(2);
    });
  });

  describe('report and statistics exports', () => {
    it('exports a statistics table with KPI headings and percent formats', async () => {
      const r = await get(h.leader as H, '/api/v1/stats?period=2026-11&groupBy=channel&format=xlsx');
      expect(r.statusCode).toBe(200);
      const ws = (await readXlsx(r.rawPayload)).worksheets[0] as ExcelJS.Worksheet;
      const rows = rowsOf(ws);
      expect(rows[0]).toEqual(expect.arrayContaining(['渠道', '工单数', '万户投诉率', '属实率', '回访满意率', '退单率', '超时工单数']));
      expect(rows.at(-1)?.[0]).toBe('合计');
      expect(rows.at(-1)?.[1]).toBe(ORDERS);
      const pctCol = (rows[0] as string[]).indexOf('属实率') + 1;
      expect(ws.getColumn(pctCol).numFmt).toBe('0.0%');
    });

    it('exports each built-in report as .xlsx and CSV', async () => {
      for (const code of ['situation', 'comparison', 'pareto', 'trend', 'heat', 'repeats', 'words', 'ranking']) {
        const x = await get(h.leader as H, `/api/v1/stats/reports/${code}?period=2026-11&format=xlsx`);
        expect(x.statusCode, `${code}: ${x.body.slice(0, 200)}`).toBe(200);
        const wb = await readXlsx(x.rawPayload);
        expect(wb.worksheets.length).toBe(1);
        const c = await get(h.leader as H, `/api/v1/stats/reports/${code}?period=2026-11&format=csv`);
        expect(c.statusCode).toBe(200);
        expect(c.body.startsWith('\ufeff')).toBe(true);
      }
    });

    it('exports the bulletin as a workbook of four sheets', async () => {
      const r = await get(h.leader as H, '/api/v1/stats/bulletin?month=2026-11&format=xlsx');
      expect(r.statusCode).toBe(200);
      const wb = await readXlsx(r.rawPayload);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['单位情况', '分类情况', '属实案件', '整改情况']);
    });
  });
});
