import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;
type Job = {
  id: number;
  status: string;
  total: number;
  processed: number;
  imported: number;
  skipped: number;
  failed: number;
  percent: number;
  rows: Array<{ row: number; sourceNumber: string; number: string | null; outcome: string }>;
  problems: Array<{ row: number; field: string; problem: string }>;
};

const MAP = {
  number: '工单编号',
  kind: '业务类型',
  channel: '受理渠道',
  classCode: '业务分类',
  description: '受理内容',
  location: '地址',
  customerName: '客户姓名',
  customerPhone: '联系电话',
  unit: '处理单位',
  intakeAt: '受理时间',
  closedAt: '归档时间',
  verification: '核实结果',
  rootCause: '问题原因',
  replyText: '答复内容',
  satisfaction: '回访结果',
  values: { channel: { 电话: 'phone', 网站: 'web' }, satisfaction: { 非常满意: 'satisfied' } },
};
const HEAD = Object.values(MAP).filter((v): v is string => typeof v === 'string');

/** Rows in the heading order above. */
const GOOD = [
  [
    'TS2025031500012',
    '投诉',
    '电话',
    '电价电费/抄表催费',
    '电费比上月高出一倍，怀疑电表有问题。',
    '城关镇人民路8号',
    '刘桂兰',
    '13800000011',
    '城关供电所',
    '2025-03-15 09:12',
    '2025-03-19 16:40',
    '属实',
    '抄核收差错',
    '经核查系抄表员估抄，已退补多收电费86.4元并向客户致歉。',
    '非常满意',
  ],
  [
    'HIS-2025-0002',
    '投诉',
    '电话',
    'outage.repair',
    '停电五个小时无人来修。',
    '北关村三组',
    '马德福',
    '13800000022',
    'SFX-CG',
    '2025-07-20 20:05',
    '2025-07-24 11:00',
    '部分属实',
    'repair_resources',
    '当晚雷雨造成多处故障，抢修力量不足，已于次日凌晨恢复供电。',
    '基本满意',
  ],
  [
    'JY2025080100003',
    '建议',
    '网站',
    '',
    '建议在柳树湾增设营业网点。',
    '柳树湾乡',
    '',
    '13800000033',
    'SFX-LSW',
    '2025-08-01 10:00',
    '2025-08-08 17:00',
    '属实',
    '',
    '已纳入明年网点规划，感谢您的建议。',
    '',
  ],
];
const BAD = [
  'TS2025090100004',
  '投诉',
  '电话',
  '服务态度',
  '营业员态度恶劣。',
  '东城',
  '赵强',
  '13800000044',
  '火星供电所',
  '2025-13-01 09:00',
  '2025-09-05 10:00',
  '属实',
  '服务行为不规范',
  '已对当事员工批评教育。',
  '满意',
];

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('工单');
  ws.addRow(HEAD);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function csv(rows: unknown[][]): Buffer {
  const cell = (v: unknown) => `"${String(v).replaceAll('"', '""')}"`;
  return Buffer.from([HEAD, ...rows].map((r) => r.map(cell).join(',')).join('\r\n'), 'utf8');
}

function multipart(file: { name: string; data: Buffer }, fields: Record<string, string>) {
  const boundary = '----gridvoice-import-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describeEachDb('historical order import API', (dialect) => {
  let t: TestApp;
  const h: Record<string, H> = {};
  const clock = testClock('2026-11-02T02:00:00.000Z');

  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock });
    for (const u of ['agent', 'admin']) h[u] = await t.login(u);
  });
  afterAll(async () => t?.close());

  async function upload(who: string, file: { name: string; data: Buffer }, fields: Record<string, string> = {}) {
    const m = multipart(file, { map: JSON.stringify(MAP), ...fields });
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/import/orders',
      headers: { ...h[who], 'content-type': m.contentType },
      payload: m.payload,
    });
  }

  async function run(file: { name: string; data: Buffer }, fields: Record<string, string> = {}): Promise<Job> {
    const res = await upload('admin', file, fields);
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().jobId as number;
    for (let i = 0; i < 200; i++) {
      const job = (await t.app.inject({ method: 'GET', url: `/api/v1/import/jobs/${id}`, headers: h.admin })).json() as Job;
      if (job.status !== 'running') return job;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('import job did not finish');
  }

  const count = async (table: 'tickets' | 'ticket_events' | 'imported_orders') =>
    Number(
      (
        await t.db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('answers 403 to a non-admin and 400 to a mapping without the required fields', async () => {
    expect((await upload('agent', { name: 'a.xlsx', data: await xlsx(GOOD) })).statusCode).toBe(403);
    const m = multipart({ name: 'a.csv', data: csv(GOOD) }, { map: JSON.stringify({ number: '工单编号', colour: '颜色' }) });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/import/orders',
      headers: { ...h.admin, 'content-type': m.contentType },
      payload: m.payload,
    });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().error.details.problems)).toContain('colour');
  });

  it('validates on a dry run and writes nothing', async () => {
    const job = await run({ name: 'history.xlsx', data: await xlsx([...GOOD, BAD]) }, { dryRun: 'true' });
    expect(job.status).toBe('done');
    expect(job.rows.map((r) => r.outcome)).toEqual(['would_import', 'would_import', 'would_import']);
    expect(job.imported).toBe(0);
    expect(await count('tickets')).toBe(0);
    expect(await count('imported_orders')).toBe(0);
  });

  it('with --all-or-nothing, one bad row keeps the whole file out', async () => {
    const job = await run({ name: 'history.xlsx', data: await xlsx([...GOOD, BAD]) }, { allOrNothing: 'true' });
    expect(job.status).toBe('failed');
    expect(job.problems.map((p) => [p.row, p.field])).toEqual([
      [5, 'unit'],
      [5, 'intakeAt'],
    ]);
    expect(await count('tickets')).toBe(0);
  });

  it('imports the good rows as closed orders with an import event, reports the bad row, and half-writes nothing', async () => {
    const job = await run({ name: 'history.xlsx', data: await xlsx([...GOOD, BAD]) });
    expect(job).toMatchObject({ status: 'done', total: 4, processed: 4, imported: 3, skipped: 0, failed: 1, percent: 100 });
    expect(job.problems).toEqual([
      { row: 5, field: 'unit', problem: 'unknown unit "火星供电所" (a code or name of a department or station)' },
      { row: 5, field: 'intakeAt', problem: 'not a date-time: "2025-13-01 09:00"' },
    ]);
    expect(await count('tickets')).toBe(3);
    expect(await count('ticket_events')).toBe(3);
    expect(await count('imported_orders')).toBe(3);
    expect(await t.db.kysely.selectFrom('tickets').select('id').where('number', '=', 'TS2025090100004').executeTakeFirst()).toBeUndefined();

    const kept = await t.db.kysely.selectFrom('tickets').selectAll().where('number', '=', 'TS2025031500012').executeTakeFirstOrThrow();
    expect(kept).toMatchObject({
      state: 'closed',
      version: 1,
      kind: 'complaint',
      channel: 'phone',
      class_code: 'business.billing',
      verification: 'substantiated',
      root_cause: 'billing_error',
      satisfaction: 'satisfied',
      intake_at: '2025-03-15T01:12:00.000Z',
      closed_at: '2025-03-19T08:40:00.000Z',
      external_ref: null,
    });
    // A number that does not fit our format gets a new one of its intake day; the original is kept as external_ref.
    const renumbered = await t.db.kysely
      .selectFrom('tickets')
      .selectAll()
      .where('external_ref', '=', 'HIS-2025-0002')
      .executeTakeFirstOrThrow();
    expect(renumbered.number).toBe('TS2025072000001');
    expect(renumbered.root_cause).toBe('repair_resources');
    const ev = await t.db.kysely.selectFrom('ticket_events').selectAll().where('ticket_id', '=', kept.id).executeTakeFirstOrThrow();
    expect(ev).toMatchObject({ seq: 1, action: 'import', from_state: null, to_state: 'closed' });
    expect((await t.app.services.chain.verify()).broken).toEqual([]);

    // The kept number moved our sequence for that day past it.
    const seq = await t.db.kysely
      .selectFrom('number_sequences')
      .select('last')
      .where('kind', '=', 'complaint')
      .where('day', '=', '2025-03-15')
      .executeTakeFirstOrThrow();
    expect(seq.last).toBe(12);
    // The imported order reads like any other closed order.
    const d = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${kept.id}`, headers: h.agent });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json().ticket.state).toBe('closed');
  });

  it('skips already imported rows on a re-run (CSV this time), importing only the fixed row', async () => {
    const fixed = [...BAD];
    fixed[8] = '东城供电所';
    fixed[9] = '2025-09-01 09:00';
    const job = await run({ name: 'history.csv', data: csv([...GOOD, fixed]) });
    expect(job).toMatchObject({ status: 'done', imported: 1, skipped: 3, failed: 0 });
    expect(job.rows.find((r) => r.sourceNumber === 'TS2025090100004')).toMatchObject({ outcome: 'imported', number: 'TS2025090100004' });
    expect(await count('tickets')).toBe(4);
    const again = await run({ name: 'history.csv', data: csv([...GOOD, fixed]) });
    expect(again).toMatchObject({ imported: 0, skipped: 4 });
    expect(await count('tickets')).toBe(4);
    expect((await t.app.services.chain.verify()).broken).toEqual([]);
  });
});
