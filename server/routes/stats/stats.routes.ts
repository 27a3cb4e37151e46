import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { FileBody } from '../../../core/schemas/common.schema.ts';
import { Bulletin, KpiCatalogue, ReportTable, StatsComparison, StatsResult } from '../../../core/schemas/stats.schema.ts';
import { KPIS } from '../../../core/stats.ts';
import type { App } from '../../app.ts';
import { AppError, ERROR_CATALOGUE, invalidField } from '../../errors.ts';
import { actorOf } from '../../http/auth.ts';
import { renderBulletin, renderBulletinError } from '../../services/bulletin-html.ts';
import {
  CONTENT_TYPES,
  contentDisposition,
  type ExportFormat,
  type ExportSheet,
  streamTables,
} from '../../services/export/table-writer.ts';
import { TICKET_COLUMNS } from '../../services/export/ticket-export.ts';
import { comparisonCells, comparisonColumns, isReportCode, REPORTS } from '../../services/stats-reports.service.ts';
import {
  CompareQuery,
  dimensionsOf,
  filterOf,
  labelRange,
  ReportQuery,
  rangeOf,
  StatsQuery,
  statsColumns,
  statsRows,
  TicketExportQuery,
} from './stats-params.ts';

const Code = Type.Object({ code: Type.String({ maxLength: 32 }) });
const BulletinQuery = Type.Object({
  month: Type.String({ pattern: '^\\d{4}-\\d{2}$' }),
  companyId: Type.Optional(Type.Integer({ minimum: 1 })),
  format: Type.Optional(Type.Union(['json', 'html', 'xlsx', 'csv'].map((f) => Type.Literal(f)))),
});

/** Statistics, built-in reports, exports and the monthly bulletin; every figure drills down to its orders. */
export async function statsRoutes(app: App): Promise<void> {
  const s = app.services;

  const send = (reply: FastifyReply, format: ExportFormat, base: string, sheets: ExportSheet[]) => {
    reply.header('Content-Type', CONTENT_TYPES[format]);
    reply.header('Content-Disposition', contentDisposition(base, format));
    return reply.send(streamTables(format, sheets));
  };

  app.get('/stats/kpis', { schema: { response: { 200: KpiCatalogue }, tags: ['stats'] } }, async (req) => {
    actorOf(req);
    return { kpis: KPIS, reports: REPORTS };
  });

  app.get('/stats', { schema: { querystring: StatsQuery, response: { 200: StatsResult }, tags: ['stats'] } }, async (req, reply) => {
    const q = req.query;
    const r = await s.stats.query(actorOf(req), {
      range: rangeOf(q, s.clock()),
      groupBy: dimensionsOf(q.groupBy),
      ...(q.grain ? { grain: q.grain } : {}),
      ...(q.classLevel ? { classLevel: q.classLevel } : {}),
      ...(q.orgParent ? { orgParent: q.orgParent } : {}),
      filter: filterOf(q),
    });
    if (!q.format || q.format === 'json') return r;
    return send(reply as unknown as FastifyReply, q.format, `统计_${r.range.name}`, [
      { name: '统计', columns: statsColumns(r), rows: statsRows(r) },
    ]);
  });

  app.get(
    '/stats/compare',
    { schema: { querystring: CompareQuery, response: { 200: StatsComparison }, tags: ['stats'] } },
    async (req, reply) => {
      const q = req.query;
      const r = await s.stats.compare(actorOf(req), labelRange(q.a, 'a'), labelRange(q.b, 'b'), q.by ?? 'class', filterOf(q), q.classLevel);
      if (!q.format || q.format === 'json') return r;
      const columns = comparisonColumns(r, '项目', 24);
      const rows = r.rows.map(comparisonCells);
      return send(reply as unknown as FastifyReply, q.format, `对比_${r.a.name}_${r.b.name}`, [{ name: '对比', columns, rows }]);
    },
  );

  app.get(
    '/stats/reports/:code',
    { schema: { params: Code, querystring: ReportQuery, response: { 200: ReportTable }, tags: ['stats'] } },
    async (req, reply) => {
      const q = req.query;
      const code = req.params.code;
      if (!isReportCode(code)) throw invalidField('code', 'unknown report');
      const report = await s.statsReports.build(actorOf(req), code, {
        range: rangeOf(q, s.clock()),
        ...(q.before ? { before: labelRange(q.before, 'before') } : {}),
        filter: filterOf(q),
        ...(q.classLevel ? { classLevel: q.classLevel } : {}),
        ...(q.by ? { by: q.by } : {}),
        ...(q.limit ? { limit: q.limit } : {}),
      });
      if (!q.format || q.format === 'json') return report;
      return send(reply as unknown as FastifyReply, q.format, report.title, [
        { name: REPORTS[code], columns: report.columns, rows: report.rows.map((r) => r.cells) },
      ]);
    },
  );

  app.get(
    '/stats/export/tickets',
    {
      schema: {
        querystring: TicketExportQuery,
        response: { 200: FileBody('The orders the list filter finds, as .xlsx or CSV', Object.values(CONTENT_TYPES)) },
        tags: ['stats'],
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const q = req.query;
      // The list's own filter: the export holds exactly the rows the list shows.
      const filter = await s.ticketFilters.of(q);
      const classes = new Map((await s.reference.classes()).map((c) => [c.code, c.zh]));
      const rows = s.ticketExport.rows(actor, filter, classes);
      // Check access before the first byte goes out: the generator's first step throws 403 otherwise.
      const first = await rows.next();
      async function* all() {
        if (!first.done) yield first.value;
        yield* rows;
      }
      return send(reply as unknown as FastifyReply, q.format, '工单清单', [{ name: '工单清单', columns: TICKET_COLUMNS, rows: all() }]);
    },
  );

  app.get(
    '/stats/bulletin',
    {
      schema: { querystring: BulletinQuery, response: { 200: Bulletin }, tags: ['stats'] },
      // The printable bulletin opens in a browser tab: its errors are a page in Chinese, not the API's JSON.
      // Everything else (JSON, exports, 5xx) goes on to the app's error handler.
      errorHandler: (err, req, reply) => {
        const format = (req.query as { format?: unknown } | undefined)?.format;
        const code = err instanceof AppError ? err.code : (err as { validation?: unknown }).validation ? 'validation_failed' : null;
        if (format !== 'html' || !code || ERROR_CATALOGUE[code].status >= 500) throw err;
        return (reply as unknown as FastifyReply)
          .status(ERROR_CATALOGUE[code].status)
          .type('text/html; charset=utf-8')
          .send(renderBulletinError(code));
      },
    },
    async (req, reply) => {
      const q = req.query;
      const b = await s.bulletins.build(actorOf(req), { month: q.month, ...(q.companyId ? { companyId: q.companyId } : {}) });
      if (!q.format || q.format === 'json') return b;
      // The printable page is HTML: not the JSON the schema describes.
      if (q.format === 'html') return (reply as unknown as FastifyReply).type('text/html; charset=utf-8').send(renderBulletin(b));
      return send(reply as unknown as FastifyReply, q.format as ExportFormat, b.title, s.bulletins.sheets(b));
    },
  );
}
