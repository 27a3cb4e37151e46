import { Type } from 'typebox';
import { PublicFigures } from '../../../core/schemas/stats.schema.ts';
import type { App } from '../../app.ts';
import { registerRateLimit } from '../../http/rate-limit.ts';
import { esc, PRINT_CSS, pctText } from '../../services/bulletin-html.ts';

const Month = Type.Object({ month: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$' })) });
const LIMIT = { rateLimit: { max: 60, timeWindow: '1 minute' } };

/** The public transparency page 信息公开: monthly figures per company, aggregated only, no login, rate-limited. */
export async function publicStatsRoutes(app: App): Promise<void> {
  await registerRateLimit(app);
  const s = app.services;
  // Default: the last complete month in Asia/Shanghai.
  const lastMonth = () => {
    const d = new Date(s.clock().getTime() + 8 * 3_600_000);
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() - 1);
    return d.toISOString().slice(0, 7);
  };

  app.get(
    '/api/public/stats',
    { schema: { querystring: Month, response: { 200: PublicFigures }, tags: ['public'] }, config: LIMIT },
    async (req) => s.bulletins.publicFigures(req.query.month ?? lastMonth()),
  );

  app.get('/public/stats', { schema: { querystring: Month, hide: true }, config: LIMIT }, async (req, reply) => {
    const f = await s.bulletins.publicFigures(req.query.month ?? lastMonth());
    const rows = f.companies
      .map(
        (c) =>
          `<tr><td class="l">${esc(c.name)}</td><td>${c.orders}</td><td>${c.complaints}</td><td>${c.complaintsPer10k ?? '—'}</td><td>${pctText(c.replyOnTimeRate)}</td><td>${pctText(c.satisfactionRate)}</td><td class="l">${c.byClass.map((x) => `${esc(x.label)} ${x.n}`).join('，')}</td></tr>`,
      )
      .join('');
    return reply
      .type('text/html; charset=utf-8')
      .send(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>客户投诉举报信息公开</title><style>${PRINT_CSS}</style></head><body>
<h1>客户投诉举报信息公开</h1><div class="sub">${esc(f.name)} · 仅公布汇总数据，不含任何个人信息</div>
<form class="toolbar" method="get"><label>月份 <input type="month" name="month" value="${esc(f.month)}"></label> <button>查询</button></form>
<table><thead><tr><th>单位</th><th>受理工单</th><th>投诉</th><th>万户投诉率</th><th>回单及时率</th><th>回访满意率</th><th>分类</th></tr></thead><tbody>${rows}</tbody></table>
</body></html>`);
  });
}
