import type { BulletinService } from './bulletin.service.ts';

type Bulletin = Awaited<ReturnType<BulletinService['build']>>;

/** HTML-escapes text for the server-rendered pages. */
export function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export const pctText = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

/** Shared print-friendly CSS of the server-rendered pages (A4, tables that do not split rows across pages). */
export const PRINT_CSS = `
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:24px;color:#222;font-size:14px}
h1{font-size:22px;text-align:center;margin:0 0 4px}h2{font-size:16px;border-left:4px solid #1677ff;padding-left:8px;margin:24px 0 8px}
.sub{text-align:center;color:#666;margin-bottom:16px}
table{border-collapse:collapse;width:100%;margin-bottom:8px}th,td{border:1px solid #999;padding:4px 6px;text-align:center}
th{background:#f0f5ff}td.l{text-align:left}tr{page-break-inside:avoid}
.toolbar{text-align:right;margin-bottom:8px}
@media print{.toolbar{display:none}body{margin:0}@page{size:A4;margin:15mm}h2{page-break-after:avoid}}
`;

function table(headers: string[], rows: Array<Array<unknown>>, leftCols: number[] = []): string {
  const body = rows
    .map((r) => `<tr>${r.map((c, i) => `<td${leftCols.includes(i) ? ' class="l"' : ''}>${esc(c)}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${body || `<tr><td colspan="${headers.length}">无</td></tr>`}</tbody></table>`;
}

/** The monthly bulletin as a printable page. */
export function renderBulletin(b: Bulletin): string {
  const t = b.totals;
  const change = b.previous.change >= 0 ? `增加 ${b.previous.change}` : `减少 ${-b.previous.change}`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(b.title)}</title><style>${PRINT_CSS}</style></head><body>
<div class="toolbar"><button onclick="window.print()">打印</button></div>
<h1>${esc(b.title)}</h1><div class="sub">统计期间 ${esc(b.range.from)} 至 ${esc(b.range.to)}</div>
<h2>一、总体情况</h2>
<p>本月共受理客户投诉举报等工单 ${t.n} 件（其中投诉 ${t.complaints} 件），较上月（${esc(b.previous.month)}）${change} 件；
属实率 ${pctText(t.kpis.substantiation_rate)}，回单及时率 ${pctText(t.kpis.reply_on_time_rate)}，回访满意率 ${pctText(t.kpis.satisfaction_rate)}；
超时工单 ${t.overdue} 件，退单工单 ${t.returned} 件；万户投诉率 ${t.kpis.complaints_per_10k ?? '—'}。</p>
<h2>二、各单位情况及排名</h2>
${table(
  ['单位', '工单数', '投诉数', '超时', '退单', '回单及时率', '回访满意率', '投诉量排名', '超时排名', '满意率排名'],
  b.units.map((u) => [
    u.unit,
    u.n,
    u.complaints,
    u.overdue,
    u.returned,
    pctText(u.replyOnTimeRate),
    pctText(u.satisfactionRate),
    u.rankComplaints,
    u.rankOverdue,
    u.rankSatisfaction,
  ]),
  [0],
)}
<h2>三、按原因分类</h2>
${table(
  ['分类', '件数', '占比', '属实'],
  b.classes.map((c) => [c.label, c.n, pctText(c.share), c.substantiated]),
  [0],
)}
<h2>四、本月属实案件</h2>
${table(
  ['工单编号', '责任单位', '分类', '主题', '核实结果', '问题原因'],
  b.cases.map((c) => [c.number, c.unit, c.class, c.subject, c.verification, c.rootCause]),
  [3],
)}${b.withheldCases ? `<p>另有${esc(b.withheldCases.zh)}。</p>` : ''}
<h2>五、整改情况</h2>
${table(
  ['整改单号', '整改单位', '问题', '整改期限', '状态'],
  b.rectifications.map((r) => [r.number, r.unit, r.problem, r.dueAt.slice(0, 10), r.stateLabel + (r.overdue ? '（超期）' : '')]),
  [2],
)}
</body></html>`;
}

/** Why a printable bulletin could not be shown, in words for the reader (the page is opened in a new tab). */
const BULLETIN_ERRORS: Record<string, string> = {
  validation_failed: '通报月份有误，请在统计分析页面的“月度通报”中选择月份（格式 2026-11）。',
  unauthenticated: '登录已过期，请重新登录后再打开通报。',
  forbidden: '您没有查看月度通报的权限。',
  not_found: '没有该单位的通报，或您无权查看。',
};

/** A small printable-style error page for the HTML bulletin: a title, the reason in Chinese and the way back. */
export function renderBulletinError(code: string): string {
  const text = BULLETIN_ERRORS[code] ?? '通报暂时无法生成，请稍后重试。';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>月度通报</title><style>${PRINT_CSS}</style></head><body>
<main><h1>无法打开月度通报</h1><p data-code="${esc(code)}">${esc(text)}</p><p><a href="/stats">返回统计分析</a></p></main>
</body></html>`;
}
