import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SearchAnswer, SynonymGroup, SynonymGroupList } from '../../core/schemas/text.schema.ts';
import {
  AttachmentAdded,
  CustomerHistoryResponse,
  DeadlinePreviewResponse,
  DeadlinesResponse,
  IdentityRevealed,
  IntakeResponse,
  TicketDetail,
  TicketListResponse,
} from '../../core/schemas/ticket.schema.ts';
import { act, complaintBody, detail, HOUR, intake, unitId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';
import { multipart, PNG } from '../portal-helpers.ts';

type H = Record<string, string>;

/** The schema with every object closed: a field the answer sends but the schema does not name fails it. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, closed(v)]));
  if ('properties' in out && !('additionalProperties' in out)) out.additionalProperties = false;
  return out;
}

/** The answer's body, after checking that its schema names every field of it (the harness checks the rest). */
function named<S extends TSchema>(schema: S, res: { statusCode: number; body: string }, status = 200): Static<S> {
  expect(res.statusCode, res.body).toBe(status);
  const body = JSON.parse(res.body) as Static<S>;
  const check = Compile(closed(schema) as TSchema);
  expect(check.Check(body) ? [] : [...check.Errors(body)].map((e) => `${e.instancePath}: ${e.message}`)).toEqual([]);
  return body;
}

describeEachDb('order answers and their schemas', (dialect) => {
  let t: TestApp;
  const h: Record<string, H> = {};
  const clock = testClock('2026-11-02T02:00:00.000Z'); // Monday 10:00 Asia/Shanghai

  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock, env: { GRIDVOICE_SESSION_IDLE_MINUTES: '10080', GRIDVOICE_SESSION_ABSOLUTE_HOURS: '720' } });
    for (const u of ['agent', 'handler', 'unitlead', 'reviewer', 'leader', 'discipline', 'admin']) h[u] = await t.login(u);
  });
  afterAll(async () => t?.close());

  it('name every field an order sends through its life: suspension, attachment, link, identity, close', async () => {
    const station = await unitId(t, 'SFX-CG');
    const first = named(IntakeResponse, await intake(t, h.agent as H), 201);
    // The same customer again: a repeat, whose intake event cites the first order.
    const intaken = named(IntakeResponse, await intake(t, h.agent as H, complaintBody({ subject: '电费又翻倍' })), 201);
    const id = intaken.ticket.id;
    expect(intaken.ticket.flags.repeat).toBe(true);

    let version = 1;
    const step = async (user: string, action: string, fields: Record<string, unknown> = {}) => {
      const d = named(TicketDetail, await act(t, h[user] as H, id, action, { version, ...fields }));
      version = d.ticket.version;
      clock.advance(HOUR);
      return d;
    };
    await step('agent', 'dispatch', { unitId: station });
    await step('handler', 'sign');
    await step('handler', 'contact', { note: '已电话联系客户', method: 'phone' });
    await step('handler', 'request_suspend', { reason: '等待电能表校验结果', expectedResumeAt: '2026-11-04T02:00:00.000Z' });
    await step('unitlead', 'approve_suspend');
    await step('handler', 'resume');

    const file = multipart({}, [{ field: 'file', name: '电表照片.png', type: 'image/png', data: PNG }]);
    const url = `/api/v1/tickets/${id}/attachments`;
    named(
      AttachmentAdded,
      await t.app.inject({ method: 'POST', url, headers: { ...h.handler, ...file.headers }, payload: file.payload }),
      201,
    );
    // The repeat is linked to the first order at intake; link it to another customer's order too.
    const other = named(
      IntakeResponse,
      await intake(t, h.agent as H, complaintBody({ customer: { name: '李四', phone: '13800001111', account: '3201000002' } })),
      201,
    );
    const link = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${id}/links`,
      headers: h.agent as H,
      payload: { otherId: other.ticket.id },
    });
    expect(link.statusCode, link.body).toBe(201);
    version = named(TicketDetail, await detail(t, h.handler as H, id)).ticket.version;

    const reply = {
      verification: 'substantiated',
      rootCause: 'billing_error',
      responsibility: 'company',
      replyText: '经核实，抄表员录入示数错误，已更正电费并致歉。',
    };
    await step('handler', 'reply', reply);
    await step('reviewer', 'approve');
    const done = await step('agent', 'revisit', { outcome: 'satisfied', note: '客户满意' });
    expect(done.ticket.state).toBe('closed');
    expect(done.ticket.suspendedMs).toBeGreaterThan(0);
    expect([done.attachments.length, done.links.length, done.events.length]).toEqual([1, 2, 12]);

    // The same order as others read it: masked for the leader, and the other end of the link.
    for (const user of ['agent', 'handler', 'leader', 'reviewer']) named(TicketDetail, await detail(t, h[user] as H, id));
    named(TicketDetail, await detail(t, h.agent as H, first.ticket.id));
    named(DeadlinesResponse, await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}/deadlines`, headers: h.agent as H }));
    for (const user of ['agent', 'leader'])
      named(TicketListResponse, await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: h[user] as H }));
  });

  it('name every field of an integrity report and of its identity reveal', async () => {
    const r = named(
      IntakeResponse,
      await intake(t, h.agent as H, {
        kind: 'report',
        channel: 'phone',
        classCode: 'integrity.bribery',
        description: '城关供电所有人装表时收取好处费两百元',
        reporter: { name: '王举报', phone: '13600002222' },
        namedUnitIds: [await unitId(t, 'SFX-CG')],
      }),
      201,
    );
    expect([r.excludedUnitIds.length, r.canRevealIdentity]).toEqual([1, true]);
    const url = `/api/v1/tickets/${r.ticket.id}/reveal-identity`;
    const revealed = named(
      IdentityRevealed,
      await t.app.inject({ method: 'POST', url, headers: h.discipline as H, payload: { reason: '核实举报内容需联系举报人' } }),
    );
    expect([revealed.identity.name, revealed.reveals.length]).toEqual(['王举报', 1]);
  });

  it('name every field of the intake helpers: customer history and deadline preview', async () => {
    const lookup = named(
      CustomerHistoryResponse,
      await t.app.inject({ method: 'GET', url: '/api/v1/customers/lookup?phone=13912345678', headers: h.agent as H }),
    );
    expect(lookup.orders.length).toBeGreaterThanOrEqual(lookup.openOrders.length);
    expect(lookup.orders.length).toBeGreaterThan(0);
    const preview = named(
      DeadlinePreviewResponse,
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/deadlines/preview?kind=complaint&channel=phone&at=2026-11-02T10:00:00%2B08:00',
        headers: h.agent as H,
      }),
    );
    expect(preview.deadlines.length).toBeGreaterThan(0);
  });

  it('name every field of a search and of the synonym groups, and delete a group with 204 and no body', async () => {
    const groups = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: { words: string[] }) =>
      t.app.inject({ method, url: `/api/v1/search/synonyms${url}`, headers: h.admin as H, payload });
    const g = named(SynonymGroup, await groups('POST', '', { words: ['电费', '电价'] }), 201);
    named(SynonymGroup, await groups('PUT', `/${g.id}`, { words: ['电费', '电价', '费用'] }));
    named(SynonymGroupList, await groups('GET', ''));
    for (const [user, q] of [
      ['agent', '电费'],
      ['leader', '电费'],
      ['agent', '13912345678'],
    ] as const) {
      const found = named(
        SearchAnswer,
        await t.app.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent(q)}`, headers: h[user] as H }),
      );
      expect(found.items.length, `${user} ${q}`).toBeGreaterThan(0);
    }
    const gone = await groups('DELETE', `/${g.id}`);
    expect([gone.statusCode, gone.body]).toEqual([204, '']);
  });
});
