import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialect } from '../../server/db/sql/index.ts';
import { type MatchTerm, orderedSearchIndex, searchCandidates, type TextMatch } from '../../server/db/sql/search.ts';
import { SearchRepository } from '../../server/repositories/search.repository.ts';
import { visibleToScope } from '../../server/repositories/visibility.sql.ts';
import { SearchService } from '../../server/services/search.service.ts';
import { scopeOf } from '../../server/services/workflow.service.ts';
import { act, complaintBody, HOUR, intake, unitId } from '../factories.ts';
import { describeEachDb, dialects, makeTestApp, type TestApp, testClock } from '../harness.ts';

type Hit = {
  id: number;
  number: string;
  rank: number;
  matchedBy: string;
  customer: { phone: string | null; account: string | null };
  snippets: Record<string, string | null>;
};
type Page = { terms: string[]; excluded: string[]; total: number; truncated: boolean; items: Hit[]; nextCursor: string | null };

describeEachDb('GET /api/v1/search', (dialect) => searchSuite(dialect, 'as migrated'));
// PostgreSQL without the RUM extension's index (the extension is optional): the same answers from the GIN index.
describe.runIf(dialects().includes('postgres'))('GET /api/v1/search [postgres, GIN only]', () => searchSuite('postgres', 'gin only'));

function searchSuite(dialect: Dialect, index: 'as migrated' | 'gin only'): void {
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
    // Before the first search: the search repository looks the index up once.
    if (index === 'gin only') await sql`drop index if exists ticket_search_rum`.execute(t.db.kysely);
    h = {};
    for (const u of ['agent', 'handler', 'handler2', 'leader', 'analyst', 'admin']) h[u] = await t.login(u);
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
    await file('mixer', {
      classCode: 'quality.voltage',
      subject: '和面机烧坏了',
      description: '电压忽高忽低，早点铺的和面机烧坏了，要求赔偿。',
      location: '示范县南关街7号',
      customer: { name: '孙丽', phone: '13700004444', account: '3201009999' },
    });
    await file('meterRead', {
      subject: '长期估抄',
      description: '抄表员从来不上门抄表，每个月都是估抄，找供电所也没人管。',
      location: '示范县北关村',
      customer: { name: '周平', phone: '13700005555' },
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
    expect(r.items[0]?.snippets.location).toContain('<mark>西湖村</mark>');
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
    const repo = new SearchRepository(t.db.kysely, dialect);
    const narrow = new SearchService(repo, t.app.services.repos.org, 1);
    const r = await narrow.search(await t.app.services.auth.actorFor('agent'), '抢修', 20, null);
    expect(r).toMatchObject({ total: 1, truncated: true, nextCursor: null });
    expect(r.items.map((i) => i.id)).toEqual([Math.max(ids.repair as number, ids.repairBill as number)]);
  });

  it.runIf(dialect === 'postgres')('reads the newest matches from the RUM index wherever the extension is installed', async () => {
    const available = await sql`select 1 from pg_available_extensions where name = 'rum'`.execute(t.db.kysely);
    const rum = await orderedSearchIndex(dialect, t.db.kysely);
    expect(rum !== null).toBe(index === 'as migrated' && available.rows.length > 0);
  });

  it.runIf(dialect === 'postgres' && index === 'as migrated')(
    'finds the same newest matches in scope with the RUM index as with GIN',
    async () => {
      const rum = await orderedSearchIndex(dialect, t.db.kysely);
      const term = (w: string): MatchTerm => [[[w]]];
      const matches: TextMatch[] = [
        { all: [term('抢修')], none: [] },
        { all: [term('电费'), term('抢修')], none: [] },
        // A phrase: the bigrams of 和面机 in sequence.
        { all: [[[['和面', '面机']]]], none: [] },
        { all: [term('供电所')], none: [term('抄表')] },
      ];
      for (const user of ['agent', 'handler2']) {
        const scope = scopeOf(await t.app.services.auth.actorFor(user));
        for (const match of matches)
          for (const window of [1, 1000]) {
            const ids = async (ordered: typeof rum) =>
              (await searchCandidates(dialect, t.db.kysely, match, (eb) => visibleToScope(eb, scope), window, ordered))
                .map((c) => c.id)
                .sort((a, b) => a - b);
            const gin = await ids(null);
            expect(await ids(rum), `${user} ${JSON.stringify(match.all)} ${window}`).toEqual(gin);
            // The agent sees every one of them: the comparison is not of two empty lists.
            if (user === 'agent') expect(gin.length, JSON.stringify(match.all)).toBeGreaterThan(0);
          }
      }
      // Without the extension there is only the one path, and nothing to compare.
      if (!rum) expect((await sql`select 1 from pg_available_extensions where name = 'rum'`.execute(t.db.kysely)).rows).toEqual([]);
    },
  );

  it('matches a phrase only where its words stand in sequence, whichever index answers (RUM checks phrases on the rows)', async () => {
    const id = await file('melon', {
      subject: '西瓜地边堆满瓜皮',
      description: '西瓜地边堆满瓜皮，线杆下面也是。',
      location: '示范县西瓜地',
      customer: { name: '冯瓜', phone: '13700008888' },
    });
    const scope = scopeOf(await t.app.services.auth.actorFor('agent'));
    const rum = await orderedSearchIndex(dialect, t.db.kysely);
    const found = async (match: TextMatch, ordered: typeof rum) =>
      (await searchCandidates(dialect, t.db.kysely, match, (eb) => visibleToScope(eb, scope), 1000, ordered)).map((c) => c.id);
    for (const ordered of [...new Set([rum, null])]) {
      // 西瓜 and 瓜皮 are both there, but not as 西瓜皮; 西瓜 and 瓜地 are, in sequence.
      expect(await found({ all: [[[['西瓜', '瓜皮']]]], none: [] }, ordered)).toEqual([]);
      expect(await found({ all: [[[['西瓜', '瓜地']]]], none: [] }, ordered)).toEqual([id]);
      expect(await found({ all: [[[['西瓜']]]], none: [[[['瓜地', '地边']]]] }, ordered)).toEqual([]);
      expect(await found({ all: [[[['西瓜']]]], none: [[[['地边', '瓜皮']]]] }, ordered)).toEqual([id]);
    }
  });

  it('is scoped like the work lists: handler2 (东城) never finds a 城关 order, handler (城关) does', async () => {
    const h2 = await search('handler2', '抢修');
    expect(h2.items.map((i) => i.id)).toEqual([ids.repairBill]);
    expect((await search('handler2', '冰箱')).items).toEqual([]);
    const h1 = await search('handler', '抢修');
    expect(h1.items.map((i) => i.id)).toEqual([ids.repair]);
    expect((await search('leader', '抢修')).items).toHaveLength(2);
  });

  it('keeps an order findable by each unit it was dispatched to: returned by 城关 and sent to 东城, both handlers find it', async () => {
    const id = await file('moved', {
      subject: '路灯线路老化',
      description: '村口路灯线路老化打火，晚上很危险。',
      location: '示范县城关镇新村',
      customer: { name: '吴迁', phone: '13700006666' },
    });
    const step = async (user: string, action: string, body: Record<string, unknown>) => {
      const res = await act(t, h[user] as Record<string, string>, id, action, body);
      expect(res.statusCode, res.body).toBe(200);
      return (JSON.parse(res.body) as { ticket: { version: number } }).ticket.version;
    };
    let version = await step('agent', 'dispatch', { version: 1, unitId: await unitId(t, 'SFX-CG') });
    expect((await search('handler', '线路老化')).items.map((i) => i.id)).toEqual([id]);
    expect((await search('handler2', '线路老化')).items).toEqual([]);
    version = await step('handler', 'return', { version, reason: 'wrong_unit' });
    version = await step('agent', 'dispatch', { version, unitId: await unitId(t, 'SFX-DC') });
    expect((await search('handler2', '线路老化')).items.map((i) => i.id)).toEqual([id]);
    expect((await search('handler', '线路老化')).items.map((i) => i.id)).toEqual([id]);
    expect((await search('agent', '线路老化')).items.map((i) => i.id)).toEqual([id]);
  });

  it('lets no text forge the index tokens that narrow a search to a unit', async () => {
    const dc = await unitId(t, 'SFX-DC');
    const id = await file('forged', {
      subject: '冒充标记',
      description: `gvscopeu${dc} GVSCOPEU${dc} gvscopéu${dc} x.gvscopeu${dc} 冒充标记`,
      location: '示范县城关镇',
      customer: { name: '郑伪', phone: '13700007777' },
    });
    expect((await search('agent', '冒充标记')).items.map((i) => i.id)).toEqual([id]);
    // Not dispatched to 东城: its handler never finds it, and a query of a token's form is no word at all.
    expect((await search('handler2', '冒充标记')).items).toEqual([]);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/search?q=gvscopeu${dc}`, headers: h.agent });
    expect(res.statusCode).toBe(400);
    // The index itself holds no unit token for it (SQLite: matches listed by the token, not probed by rowid).
    const holders = await (dialect === 'sqlite'
      ? sql<{ id: number }>`select rowid as id from ticket_fts where ticket_fts match ${`"gvscopeu${dc}"`}`
      : sql<{ id: number }>`select ticket_id as id from ticket_search where tsv @@ to_tsquery('simple', ${`gvscopeu${dc}`})`
    ).execute(t.db.kysely);
    expect(holders.rows.map((r) => Number(r.id))).not.toContain(id);
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

  describe('one search box: numbers, phones and accounts', () => {
    const numberOf = async (key: string) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ids[key]}`, headers: h.agent });
      return (JSON.parse(res.body) as { ticket?: { number: string }; number?: string }).ticket?.number ?? JSON.parse(res.body).number;
    };

    it("finds an order by its number, in any case, and the day's orders by the number to the day", async () => {
      const n = (await numberOf('bill')) as string;
      const r = await search('agent', n);
      expect(r.items.map((i) => [i.id, i.matchedBy])).toEqual([[ids.bill, 'number']]);
      expect((await search('agent', n.toLowerCase())).items[0]?.id).toBe(ids.bill);
      const day = await search('agent', n.slice(0, 10));
      expect(day.items.map((i) => i.id)).toEqual(expect.arrayContaining([ids.bill, ids.repair, ids.voltage]));
      expect(day.items.every((i) => i.matchedBy === 'number')).toBe(true);
    });

    it('finds the orders of a phone number, typed with spaces or not, newest first', async () => {
      for (const q of ['13700001111', '137 0000 1111', '137-0000-1111']) {
        const r = await search('agent', q);
        expect(
          r.items.map((i) => [i.id, i.matchedBy]),
          q,
        ).toEqual([[ids.bill, 'phone']]);
        expect(r.items[0]?.customer.phone).toBe('13700001111');
      }
    });

    it('finds the orders of an account number (户号)', async () => {
      const r = await search('agent', '3201009999');
      expect(r.items.map((i) => [i.id, i.matchedBy])).toEqual([[ids.mixer, 'account']]);
    });

    it('does not find by phone or account for a role that sees customers masked (leader, analyst), and masks what it shows', async () => {
      for (const u of ['leader', 'analyst']) {
        expect((await search(u, '13700001111')).items, u).toEqual([]);
        expect((await search(u, '3201009999')).items, u).toEqual([]);
      }
      const byText = await search('leader', '和面机');
      expect(byText.items.map((i) => i.id)).toContain(ids.mixer);
      const mixer = byText.items.find((i) => i.id === ids.mixer);
      expect(mixer?.customer).toMatchObject({ phone: '137****4444', account: '****9999' });
    });

    it('finds by number or phone only within the scope: handler2 (东城) never finds a 城关 order', async () => {
      const n = (await numberOf('repair')) as string;
      expect((await search('handler2', n)).items).toEqual([]);
      expect((await search('handler2', '3201000001')).items).toEqual([]);
      expect((await search('handler', n)).items.map((i) => i.id)).toEqual([ids.repair]);
      expect((await search('handler2', '13700001111')).items.map((i) => i.id)).toEqual([ids.bill]);
    });
  });

  describe('text as an agent types it', () => {
    it('finds any substring of two or more Chinese characters (面机 in 和面机), in sequence only', async () => {
      expect((await search('agent', '面机')).items.map((i) => i.id)).toEqual([ids.mixer]);
      expect((await search('agent', '面机烧坏')).items.map((i) => i.id)).toEqual([ids.mixer]);
      expect((await search('agent', '机和')).items).toEqual([]);
      expect((await search('agent', '面机')).items[0]?.snippets.subject).toContain('<mark>面机</mark>');
    });

    it('ignores spaces inside Chinese (电 费 = 电费)', async () => {
      const spaced = await search('agent', '电 费');
      expect(spaced.terms).toEqual(['电费']);
      expect(spaced.items.map((i) => i.id).sort()).toEqual((await search('agent', '电费')).items.map((i) => i.id).sort());
      expect(spaced.items).toHaveLength(2);
      expect((await search('agent', '停 电 三 天')).items.map((i) => i.id)).toEqual([ids.repair]);
    });

    it('excludes the orders containing a word marked with a minus (供电所 -抄表)', async () => {
      expect((await search('agent', '供电所')).items.map((i) => i.id).sort()).toEqual([ids.bill, ids.meterRead].sort());
      const r = await search('agent', '供电所 -抄表');
      expect(r.excluded).toEqual(['抄表']);
      expect(r.items.map((i) => i.id)).toEqual([ids.bill]);
    });

    it('matches a quoted phrase as it stands, unquoted words anywhere', async () => {
      expect((await search('agent', '电费 翻倍')).items.map((i) => i.id)).toEqual([ids.bill]);
      expect((await search('agent', '"电费翻倍"')).items).toEqual([]);
      expect((await search('agent', '"电费突然翻倍"')).items.map((i) => i.id)).toEqual([ids.bill]);
    });

    it('answers 400 when nothing but exclusions is left to search', async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent('-抄表')}`, headers: h.agent });
      expect(res.statusCode).toBe(400);
      expect(JSON.parse(res.body).error.details.field).toBe('q');
    });

    it('keeps FTS and tsquery syntax out: operators and quotes in a query are text', async () => {
      for (const q of ['抢修 OR 电费', 'NEAR(抢修)', "电费' | '抢修", '抢修 & !电费', '"抢修']) {
        const res = await t.app.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent(q)}`, headers: h.agent });
        expect(res.statusCode, q).toBe(200);
      }
      expect((await search('agent', '抢修 OR 电费')).items).toEqual([]);
    });

    it('filters a work list with the same language (GET /tickets?q=供电所 -抄表)', async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets?q=${encodeURIComponent('供电所 -抄表')}`, headers: h.agent });
      expect(res.statusCode, res.body).toBe(200);
      expect((JSON.parse(res.body) as { items: Array<{ id: number }> }).items.map((i) => i.id)).toEqual([ids.bill]);
    });
  });

  describe('synonyms an admin keeps (GET/POST/PUT/DELETE /search/synonyms)', () => {
    const send = (method: 'POST' | 'PUT' | 'DELETE' | 'GET', url: string, user: string, payload?: Record<string, unknown>) =>
      payload === undefined
        ? t.app.inject({ method, url: `/api/v1/search/synonyms${url}`, headers: h[user] })
        : t.app.inject({ method, url: `/api/v1/search/synonyms${url}`, headers: h[user], payload });

    it('answers 401 without a session and 403 to a role that does not keep the taxonomy', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/search/synonyms' })).statusCode).toBe(401);
      expect((await send('POST', '', 'agent', { words: ['表计', '电表'] })).statusCode).toBe(403);
      expect((await send('GET', '', 'agent')).statusCode).toBe(200);
    });

    it('answers 400 with the field for a group that is not two usable words', async () => {
      for (const words of [['表计'], ['表计', '表计'], ['表计', '，。'], ['表计', '-电表'], ['表计', 'x'.repeat(21)], 'a', []]) {
        const res = await send('POST', '', 'admin', { words });
        expect(res.statusCode, JSON.stringify(words)).toBe(400);
        expect(res.json().error.code).toBe('validation_failed');
        expect(res.json().error.details.field, JSON.stringify(words)).toMatch(/^words/);
      }
      const extra = await send('POST', '', 'admin', { words: ['表计', '电表'], weight: 1 });
      expect(extra.statusCode).toBe(400);
      expect((await send('PUT', '/99999', 'admin', { words: ['表计', '电表'] })).statusCode).toBe(404);
      expect((await send('DELETE', '/99999', 'admin')).statusCode).toBe(404);
    });

    it('widens a query by its group: 表计 finds the order that says 电表, and stops when the group changes or goes', async () => {
      expect((await search('agent', '表计')).items).toEqual([]);
      const made = await send('POST', '', 'admin', { words: ['表计', ' 电表 ', 'ＡＢ表'] });
      expect(made.statusCode, made.body).toBe(201);
      const group = made.json() as { id: number; words: string[] };
      expect(group.words).toEqual(['表计', '电表', 'ab表']);
      expect(((await send('GET', '', 'agent')).json() as { groups: Array<{ id: number }> }).groups.map((g) => g.id)).toContain(group.id);

      const r = await search('agent', '表计');
      expect(r.items.map((i) => i.id)).toEqual([ids.bill]);
      expect(r.items[0]?.snippets.description).toContain('<mark>电表</mark>');
      expect(r).toMatchObject({ synonyms: [{ term: '表计', any: ['表计', '电表', 'ab表'] }] });
      // An exclusion is taken literally: -表计 does not exclude 电表.
      expect((await search('agent', '供电所 -表计')).items.map((i) => i.id).sort()).toEqual([ids.bill, ids.meterRead].sort());

      expect((await send('PUT', `/${group.id}`, 'admin', { words: ['表计', '计量表'] })).statusCode).toBe(200);
      expect((await search('agent', '表计')).items).toEqual([]);
      expect((await send('DELETE', `/${group.id}`, 'admin')).statusCode).toBe(204);
      expect(((await send('GET', '', 'admin')).json() as { groups: unknown[] }).groups).toEqual([]);
    });
  });

  it('rewrites index rows of the older format (jieba words only) in the background, where the migration left the cursor', async () => {
    const id = ids.mixer as number;
    const old = '和面机 烧坏 电压 忽高忽低 早点 铺 和面机 烧坏 赔偿 示范县 南关 街';
    await (dialect === 'sqlite'
      ? sql`delete from ticket_fts where rowid = ${id}`
      : sql`delete from ticket_search where ticket_id = ${id}`
    ).execute(t.db.kysely);
    await new SearchRepository(t.db.kysely, dialect).index(id, 1, old);
    expect((await search('agent', '面机')).items).toEqual([]);
    await sql`delete from meta where key = 'search_reindex_after'`.execute(t.db.kysely);
    await sql`insert into meta (key, value) values ('search_reindex_after', '0')`.execute(t.db.kysely);
    expect(await t.app.services.search.upgradeIndex(Number.POSITIVE_INFINITY, 2)).toBeGreaterThan(0);
    expect((await search('agent', '面机')).items.map((i) => i.id)).toEqual([id]);
    const left = await sql<{ n: number }>`select count(*) as n from meta where key = 'search_reindex_after'`.execute(t.db.kysely);
    expect(Number(left.rows[0]?.n)).toBe(0);
    expect(await t.app.services.search.upgradeIndex()).toBe(0);
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
}
