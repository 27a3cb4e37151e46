import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { Cockpit, KpiBoard, KpiTargetHistory, KpiTargets } from '../../../core/schemas/kpi.schema.ts';
import type { App } from '../../app.ts';
import { shanghaiDate } from '../../domain/calendar.ts';
import { actorOf } from '../../http/auth.ts';
import { CONTENT_TYPES, contentDisposition, type ExportColumn, streamTables } from '../../services/export/table-writer.ts';
import type { KpiService } from '../../services/kpi.service.ts';
import { rangeOf } from './stats-params.ts';

const TargetsQuery = Type.Object({ orgUnitId: Type.Optional(Type.Integer({ minimum: 1 })) });
const KpiParam = Type.Object({ kpi: Type.String({ pattern: '^[a-z0-9_]+$', maxLength: 40 }) });
const SetTarget = Type.Object(
  {
    orgUnitId: Type.Integer({ minimum: 1 }),
    target: Type.Union([Type.Number(), Type.Null()]),
    note: Type.String({ maxLength: 200 }),
  },
  { additionalProperties: false },
);
const BoardQuery = Type.Object({
  period: Type.Optional(Type.String({ maxLength: 12 })),
  from: Type.Optional(Type.String({ maxLength: 10 })),
  to: Type.Optional(Type.String({ maxLength: 10 })),
  orgId: Type.Optional(Type.Integer({ minimum: 1 })),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('xlsx'), Type.Literal('csv')])),
});
const CockpitQuery = Type.Object({
  month: Type.Optional(Type.String({ maxLength: 7 })),
  orgId: Type.Optional(Type.Integer({ minimum: 1 })),
});

const UNIT_LABEL: Record<string, string> = { percent: '%', per10k: '件/万户', hours: '小时', count: '件' };

const BOARD_COLUMNS: ExportColumn[] = [
  { key: 'name', zh: '指标', width: 18 },
  { key: 'unit', zh: '计量单位', width: 10 },
  { key: 'value', zh: '本期', type: 'number' },
  { key: 'num', zh: '分子', type: 'number' },
  { key: 'den', zh: '分母', type: 'number' },
  { key: 'previous', zh: '上期', type: 'number' },
  { key: 'target', zh: '目标', type: 'number' },
  { key: 'met', zh: '是否达标', width: 10 },
  { key: 'formula', zh: '计算公式', width: 36 },
  { key: 'definition', zh: '指标定义', width: 60 },
];

/** A figure in the unit the sheet names (rates as percentages). */
function shown(v: number | null, unit: string): number | null {
  if (v === null) return null;
  return unit === 'percent' ? Math.round(v * 10_000) / 100 : v;
}

function boardRows(b: Awaited<ReturnType<KpiService['board']>>) {
  return b.items.map((k) => ({
    name: k.zh,
    unit: UNIT_LABEL[k.unit] ?? '',
    value: shown(k.value, k.unit),
    num: k.formula.num?.value ?? null,
    den: k.formula.den?.value ?? null,
    previous: shown(k.previous, k.unit),
    target: shown(k.target, k.unit),
    met: k.met === null ? '—' : k.met ? '达标' : '未达标',
    formula: k.formula.zh,
    definition: k.definition.zh,
  }));
}

/** KPI targets (admin), the KPI page with its export, and the leader cockpit. */
export async function kpiRoutes(app: App): Promise<void> {
  const s = app.services;

  app.get('/kpi-targets', { schema: { querystring: TargetsQuery, response: { 200: KpiTargets }, tags: ['stats'] } }, async (req) =>
    s.kpi.targets(actorOf(req), req.query.orgUnitId),
  );

  app.put(
    '/kpi-targets/:kpi',
    { schema: { params: KpiParam, body: SetTarget, response: { 200: KpiTargets }, tags: ['stats'] } },
    async (req) => s.kpi.setTarget(actorOf(req), { kpi: req.params.kpi, ...req.body }),
  );

  app.get('/kpi-targets/history', { schema: { response: { 200: KpiTargetHistory }, tags: ['stats'] } }, async (req) =>
    s.kpi.history(actorOf(req)),
  );

  app.get('/stats/kpi-board', { schema: { querystring: BoardQuery, response: { 200: KpiBoard }, tags: ['stats'] } }, async (req, reply) => {
    const q = req.query;
    const board = await s.kpi.board(actorOf(req), { range: rangeOf(q, s.clock()), ...(q.orgId ? { orgId: q.orgId } : {}) });
    if (!q.format || q.format === 'json') return board;
    const r = reply as unknown as FastifyReply;
    r.header('Content-Type', CONTENT_TYPES[q.format]);
    r.header('Content-Disposition', contentDisposition(`考核指标_${board.unit.name}_${board.range.name}`, q.format));
    return r.send(streamTables(q.format, [{ name: '考核指标', columns: BOARD_COLUMNS, rows: boardRows(board) }]));
  });

  app.get('/stats/cockpit', { schema: { querystring: CockpitQuery, response: { 200: Cockpit }, tags: ['stats'] } }, async (req) => {
    const q = req.query;
    const month = q.month ?? shanghaiDate(s.clock()).slice(0, 7);
    return s.kpi.cockpit(actorOf(req), { month, ...(q.orgId ? { orgId: q.orgId } : {}) });
  });
}
