import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { act, complaintBody, intake } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;

describeEachDb('dates and times in exports', (dialect) => {
  let t: TestApp;
  let leader: H;
  let number = '';

  beforeAll(async () => {
    const clock = testClock('2026-11-02T02:00:00.000Z'); // Monday 10:00 Asia/Shanghai
    t = await makeTestApp(dialect, { clock });
    const agent = await t.login('agent');
    const res = await intake(t, agent, complaintBody());
    number = res.json().ticket.number as string;
    // Closed at 00:30 on Tuesday in Shanghai: the UTC date (Monday 16:30) is a day behind.
    clock.set('2026-11-02T16:30:00.000Z');
    leader = await t.login('leader');
    expect((await act(t, await t.login('agent'), res.json().ticket.id, 'invalidate', { version: 1, reason: 'test' })).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it('writes times as real Excel dates showing Asia/Shanghai wall time, not as text', async () => {
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/stats/export/tickets?format=xlsx&number=${number}`, headers: leader });
    expect(r.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('工单清单') as ExcelJS.Worksheet;
    const head = (ws.getRow(1).values as unknown[]).slice(1);
    const cell = (zh: string) => ws.getRow(2).getCell(head.indexOf(zh) + 1);
    const created = cell('受理时间');
    const closed = cell('归档时间');
    // Excel keeps no zone; exceljs reads a date cell back as a Date whose UTC fields are the wall time shown.
    expect(created.value).toBeInstanceOf(Date);
    expect((created.value as Date).toISOString()).toBe('2026-11-02T10:00:00.000Z');
    expect((closed.value as Date).toISOString()).toBe('2026-11-03T00:30:00.000Z');
    expect(created.numFmt).toBe('yyyy-mm-dd hh:mm');
  });

  it('writes the same times as Shanghai text in CSV', async () => {
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/stats/export/tickets?format=csv&number=${number}`, headers: leader });
    const [head, row] = r.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n') as [string, string];
    const cols = head.split(',');
    const cells = row.split(',');
    expect(cells[cols.indexOf('受理时间')]).toBe('2026-11-02 10:00');
    expect(cells[cols.indexOf('归档时间')]).toBe('2026-11-03 00:30');
  });
});
