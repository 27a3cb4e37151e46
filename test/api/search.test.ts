import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TextRepository } from '../../server/repositories/text.repository.ts';
import { SearchService } from '../../server/services/search.service.ts';
import { act, complaintBody, HOUR, intake, unitId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type Hit = { id: number; number: string; rank: number; snippets: Record<string, string | null> };
type Page = { terms: string[]; total: number; truncated: boolean; items: Hit[]; nextCursor: string | null };

describeEachDb('GET /api/v1/search', (dialect) => {
  let t: TestApp;
  let h: Record<string, Record<string, string>>;
  const ids: Record<string, number> = {};

  const search = async (user: string, q: string, extra = '') => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent(q)}${extra}`, headers: h[user] });
    expect(res.statusCode, res.body).toBe(200);
    return JSON.parse(res.body) as Page;
  };
  const file = async (key: string, body: Record<string, unknown>) => {
    const res = await intake(t, h.agent as Record<string, string>, complaintBody(body));
    expect(res.statusCode, res.body).toBe(201);
    ids[key] = (JSON.parse(res.body) as { ticket: { id: number } }).ticket.id;
    return ids[key] as number;
  };

  beforeAll(async () => {
    t = await makeTestApp(dialect, {
      clock: testClock('2026-11-02T02:00:00.000Z'),
      env: { GRIDVOICE_SESSION_IDLE_MINUTES: '10080', GRIDVOICE_SESSION_ABSOLUTE_HOURS: '720' },
    });
    h = {};
    for (const u of ['agent', 'handler', 'handler2', 'leader']) h[u] = await t.login(u);
    await file('repair', {
      classCode: 'outage.repair',
      subject: '停电三天没人来抢修',
      description: '我家停电三天了，打了好几次电话都没人来抢修，冰箱里的东西全坏了。',
      location: '示范县城关镇人民路18号',
    });
    await file('bill', {
      subject: '电费突然翻倍',
      description: '上个月电费突然翻倍，供电所说电表没问题，要求核查。',
      location: '示范县东城街道朝阳街3号',
      customer: { name: '王芳', phone: '13700001111' },
    });
    await file('repairBill', {
      classCode: 'outage.repair',
      subject: '抢修后电费异常',
      description: '抢修抢修再抢修，换了表以后电费也高了，抢修师傅说不归他管。',
      location: '示范县东城街道幸福小区',
      customer: { name: '赵强', phone: '13700002222' },
    });
    await file('voltage', {
      classCode: 'quality.voltage',
      subject: '晚上灯光昏暗',
      description: '台区经理说变压器过载，晚上电压低，空调开不了。',
      location: '示范县西湖乡西湖村',
      customer: { name: '钱多', phone: '13700003333' },
    });
    t.clock.advance(HOUR);
    const dispatch = async (id: number, code: string) => {
      const res = await act(t, h.agent as Record<string, string>, id, 'dispatch', { version: 1, unitId: await unitId(t, code) });
      expect(res.statusCode, res.body).toBe(200);
    };
    await dispatch(ids.repair as number, 'SFX-CG');
    await dispatch(ids.bill as number, 'SFX-DC');
    await dispatch(ids.repairBill as number, 'SFX-DC');
  });
  afterAll(async () => t?.close());

  describe('validation and auth', () => {
    it('answers 401 without a session', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/search?q=抢修' });
      expect(res.statusCode).toBe(401);
    });

    it('answers 400 for a query of punctuation only', async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent('，。！')}`, headers: h.agent });
      expect(res.statusCode).toBe(400);
      expect(JSON.parse(res.body).error.details.field).toBe('q');
    });
  });

  it('finds a 2-character word inside a run of Chinese (抢修, 电费)', async () => {
    const r = await search('agent', '抢修');
    expect(r.items.map((i) => i.id).sort()).toEqual([ids.repair, ids.repairBill].sort());
    const b = await search('agent', '电费');
    expect(b.items.map((i) => i.id).sort()).toEqual([ids.bill, ids.repairBill].sort());
  });

  it('requires every word of a multi-word query (AND)', async () => {
    const r = await search('agent', '抢修 电费');
    expect(r.items.map((i) => i.id)).toEqual([ids.repairBill]);
    const none = await search('agent', '抢修 电压');
    expect(none.items).toEqual([]);
  });

  it('segments an unspaced query into its words (台区经理变压器)', async () => {
    const r = await search('agent', '台区经理变压器');
    expect(r.terms).toEqual(['台区经理', '变压器']);
    expect(r.items.map((i) => i.id)).toEqual([ids.voltage]);
  });

  it('ranks the order that mentions the word most often first', async () => {
    const r = await search('agent', '抢修');
    expect(r.items[0]?.id).toBe(ids.repairBill);
    expect(r.items[0]?.rank).toBeGreaterThan(r.items[1]?.rank as number);
  });

  it('returns snippets with the matched words marked', async () => {
    const r = await search('agent', '冰箱');
    expect(r.items[0]?.snippets.description).toContain('<mark>冰箱</mark>');
    expect(r.items[0]?.snippets.subject).toBeNull();
  });

  it('searches the address too', async () => {
    const r = await search('agent', '西湖村');
    expect(r.items.map((i) => i.id)).toEqual([ids.voltage]);
    expect(r.items[0]?.snippets.location).toContain('<mark>西湖</mark>');
  });

  it('pages with a cursor', async () => {
    const first = await search('agent', '抢修', '&limit=1');
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = await search('agent', '抢修', `&limit=1&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(1);
    expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
    expect(second.nextCursor).toBeNull();
  });

  it('counts the matches and ranks among the newest ones only when there are more than the window holds', async () => {
    const all = await search('agent', '抢修');
    expect(all).toMatchObject({ total: 2, truncated: false });
    // A window of one: only the newest match is ranked and the answer says there are more.
    const repo = new TextRepository(t.db.kysely, dialect, t.app.services.repos.tickets);
    const narrow = new SearchService(repo, t.app.services.repos.org, 1);
    const r = await narrow.search(await t.app.services.auth.actorFor('agent'), '抢修', 20, null);
    expect(r).toMatchObject({ total: 1, truncated: true, nextCursor: null });
    expect(r.items.map((i) => i.id)).toEqual([Math.max(ids.repair as number, ids.repairBill as number)]);
  });

  it('is scoped like the work lists: handler2 (东城) never finds a 城关 order, handler (城关) does', async () => {
    const h2 = await search('handler2', '抢修');
    expect(h2.items.map((i) => i.id)).toEqual([ids.repairBill]);
    expect((await search('handler2', '冰箱')).items).toEqual([]);
    const h1 = await search('handler', '抢修');
    expect(h1.items.map((i) => i.id)).toEqual([ids.repair]);
    expect((await search('leader', '抢修')).items).toHaveLength(2);
  });

  it("filters a work list by words, keeping the list's queue, scope and order (GET /tickets?q=)", async () => {
    const list = async (user: string, qs: string) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets?${qs}`, headers: h[user] });
      expect(res.statusCode, res.body).toBe(200);
      return (JSON.parse(res.body) as { items: Array<{ id: number }> }).items.map((i) => i.id).sort((a, b) => a - b);
    };
    expect(await list('agent', `q=${encodeURIComponent('电费')}&limit=200`)).toEqual(
      [ids.bill, ids.repairBill].sort((a, b) => (a ?? 0) - (b ?? 0)),
    );
    expect(await list('agent', `q=${encodeURIComponent('抢修 电费')}&limit=200`)).toEqual([ids.repairBill]);
    expect(await list('handler2', `queue=to_sign&q=${encodeURIComponent('电费')}`)).toEqual(
      [ids.bill, ids.repairBill].sort((a, b) => (a ?? 0) - (b ?? 0)),
    );
    expect(await list('handler', `q=${encodeURIComponent('电费')}`)).toEqual([]);
    expect(await list('agent', `queue=closed&q=${encodeURIComponent('电费')}`)).toEqual([]);
    const bad = await t.app.inject({ method: 'GET', url: `/api/v1/tickets?q=${encodeURIComponent('，。')}`, headers: h.agent });
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).error.details.field).toBe('q');
  });

  it('follows the reply: words of the reply text are found as soon as it is written', async () => {
    const id = ids.repair as number;
    expect((await search('agent', '熔断器')).items).toEqual([]);
    const handler = h.handler as Record<string, string>;
    expect((await act(t, handler, id, 'sign', { version: 2 })).statusCode).toBe(200);
    const c = await act(t, handler, id, 'contact', { version: 3, note: '已电话联系客户', method: 'phone' });
    expect(c.statusCode, c.body).toBe(200);
    const r = await act(t, handler, id, 'reply', {
      version: 4,
      verification: 'substantiated',
      rootCause: 'repair_resources',
      responsibility: 'company',
      replyText: '经核实，因抢修人员不足未能及时到场，已更换熔断器恢复供电并向客户致歉。',
    });
    expect(r.statusCode, r.body).toBe(200);
    const hit = await search('agent', '熔断器');
    expect(hit.items.map((i) => i.id)).toEqual([id]);
    expect(hit.items[0]?.snippets.reply).toContain('<mark>熔断器</mark>');
  });

  it('backfills the orders that have no index row (from before the index, or imported), and only those', async () => {
    const lost = [ids.bill as number, ids.voltage as number];
    for (const id of lost)
      await (dialect === 'sqlite'
        ? sql`delete from ticket_fts where rowid = ${id}`
        : sql`delete from ticket_search where ticket_id = ${id}`
      ).execute(t.db.kysely);
    expect((await search('agent', '西湖村')).items).toEqual([]);
    expect(await t.app.services.search.reindexMissing(1)).toBe(2);
    expect((await search('agent', '西湖村')).items.map((i) => i.id)).toEqual([ids.voltage]);
    expect(await t.app.services.search.reindexMissing()).toBe(0);
  });
});
