import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, unitId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

const BASE = '/open311/v2';

type XNode = { name: string; text: string; children: XNode[] };

/** Parses the schemaless XML Open311 answers with (no attributes, no mixed content) into a tree. */
function parseXml(xml: string): XNode {
  expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '');
  let i = 0;
  const node = (): XNode => {
    const open = /^<([a-z_]+)(\/?)>/.exec(body.slice(i));
    if (!open) throw new Error(`expected an element at ${i}: ${body.slice(i, i + 40)}`);
    i += open[0].length;
    const n: XNode = { name: open[1] as string, text: '', children: [] };
    if (open[2] === '/') return n;
    while (!body.startsWith(`</${n.name}>`, i)) {
      if (body[i] === '<') n.children.push(node());
      else {
        const end = body.indexOf('<', i);
        n.text += body
          .slice(i, end)
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&quot;/g, '"')
          .replace(/&apos;/g, "'")
          .replace(/&amp;/g, '&');
        i = end;
      }
    }
    i += `</${n.name}>`.length;
    return n;
  };
  const root = node();
  expect(i).toBe(body.length);
  return root;
}
const child = (n: XNode, name: string) => n.children.find((c) => c.name === name);
const names = (n: XNode) => n.children.map((c) => c.name);

const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
];

function form(fields: Record<string, string>) {
  return {
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  };
}

describeEachDb('Open311 GeoReport v2', (dialect) => {
  let t: TestApp;
  let apiKey: string;
  let staff: Record<string, Record<string, string>>;
  const clock = testClock('2026-11-02T02:00:00.000Z');

  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock, env: { GRIDVOICE_SESSION_IDLE_MINUTES: '10080', GRIDVOICE_SESSION_ABSOLUTE_HOURS: '720' } });
    staff = {};
    for (const u of ['admin', 'agent', 'handler', 'reviewer']) staff[u] = await t.login(u);
    const company = await unitId(t, 'SFX');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: staff.admin,
      payload: { name: 'city-311', roles: ['agent'], unitId: company },
    });
    expect(res.statusCode, res.body).toBe(201);
    apiKey = res.json().token;
  });
  afterAll(async () => t?.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url });

  describe('errors', () => {
    it('answers a POST without api_key with 403 and the errors list, in JSON and XML', async () => {
      const json = await t.app.inject({
        method: 'POST',
        url: `${BASE}/requests.json`,
        ...form({ service_code: 'outage.repair', description: 'x' }),
      });
      expect(json.statusCode).toBe(403);
      expect(json.headers['content-type']).toContain('application/json');
      const errs = json.json() as Array<{ code: number; description: string }>;
      expect(errs).toHaveLength(1);
      expect(errs[0]).toMatchObject({ code: 403 });
      expect(typeof errs[0]?.description).toBe('string');
      const xml = await t.app.inject({
        method: 'POST',
        url: `${BASE}/requests.xml`,
        ...form({ api_key: 'wrong', service_code: 'outage.repair' }),
      });
      expect(xml.statusCode).toBe(403);
      expect(xml.headers['content-type']).toContain('text/xml');
      const root = parseXml(xml.body);
      expect(root.name).toBe('errors');
      expect(names(root)).toEqual(['error']);
      expect(names(root.children[0] as XNode)).toEqual(['code', 'description']);
      expect(child(root.children[0] as XNode, 'code')?.text).toBe('403');
    });

    it('answers 400 without service_code or location and 404 for an unknown service', async () => {
      const noCode = await t.app.inject({
        method: 'POST',
        url: `${BASE}/requests.json`,
        ...form({ api_key: apiKey, description: '停电了' }),
      });
      expect(noCode.statusCode).toBe(400);
      expect(noCode.json()[0].code).toBe(400);
      const noPlace = await t.app.inject({
        method: 'POST',
        url: `${BASE}/requests.json`,
        ...form({ api_key: apiKey, service_code: 'outage.repair', description: '停电两天了没人来修' }),
      });
      expect(noPlace.statusCode).toBe(400);
      expect(noPlace.json()[0].description).toMatch(/location/);
      const unknown = await get(`${BASE}/services/033.json`);
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toEqual([{ code: 404, description: expect.stringContaining('033') }]);
      const unknownReq = await get(`${BASE}/requests/TS2099010100001.xml`);
      expect(unknownReq.statusCode).toBe(404);
      expect(parseXml(unknownReq.body).name).toBe('errors');
      const badStatus = await get(`${BASE}/requests.json?status=pending`);
      expect(badStatus.statusCode).toBe(400);
    });
  });

  it("walks the spec's example requests and checks each answer's shape", async () => {
    // Service discovery.
    const discovery = parseXml((await get(`${BASE}/discovery.xml`)).body);
    expect(discovery.name).toBe('discovery');
    expect(names(discovery)).toEqual(['changeset', 'contact', 'key_service', 'endpoints']);
    const endpoint = child(discovery, 'endpoints')?.children[0] as XNode;
    expect(endpoint.name).toBe('endpoint');
    expect(child(endpoint, 'specification')?.text).toBe('http://wiki.open311.org/GeoReport_v2');
    expect(child(endpoint, 'formats')?.children.map((f) => f.text)).toEqual(['text/xml', 'application/json']);
    const dj = (await get(`${BASE}/discovery.json`)).json();
    expect(dj.endpoints[0].formats).toEqual(['text/xml', 'application/json']);

    // GET Service List: https://api.city.gov/dev/v2/services.xml?jurisdiction_id=city.gov
    const services = parseXml((await get(`${BASE}/services.xml?jurisdiction_id=city.gov`)).body);
    expect(services.name).toBe('services');
    expect(services.children.length).toBeGreaterThan(20);
    for (const s of services.children) {
      expect(s.name).toBe('service');
      expect(names(s)).toEqual(['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']);
      expect(['true', 'false']).toContain(child(s, 'metadata')?.text);
      expect(['realtime', 'batch', 'blackbox']).toContain(child(s, 'type')?.text);
    }
    const sj = (await get(`${BASE}/services.json?jurisdiction_id=city.gov`)).json() as Array<Record<string, unknown>>;
    const billing = sj.find((s) => s.service_code === 'business.billing');
    expect(billing).toMatchObject({ service_name: '电价电费/抄表催费', metadata: true, type: 'realtime', group: '投诉 Complaints' });
    expect(sj.find((s) => s.service_code === 'theft')?.group).toBe('举报 Reports');
    expect(sj.some((s) => s.service_code === 'business')).toBe(false); // family nodes with children are no service

    // GET Service Definition: https://api.city.gov/dev/v2/services/033.xml?jurisdiction_id=city.gov (with our code)
    const def = parseXml((await get(`${BASE}/services/general.xml?jurisdiction_id=city.gov`)).body);
    expect(def.name).toBe('service_definition');
    expect(names(def)).toEqual(['service_code', 'attributes']);
    const attrs = child(def, 'attributes')?.children as XNode[];
    for (const a of attrs) {
      expect(a.name).toBe('attribute');
      expect(names(a)).toEqual(['variable', 'code', 'datatype', 'required', 'datatype_description', 'order', 'description', 'values']);
    }
    const kind = attrs.find((a) => child(a, 'code')?.text === 'kind') as XNode;
    expect(child(kind, 'datatype')?.text).toBe('singlevaluelist');
    expect(child(kind, 'values')?.children.map((v) => [v.name, ...names(v)])).toEqual([
      ['value', 'key', 'name'],
      ['value', 'key', 'name'],
      ['value', 'key', 'name'],
    ]);
    const defJson = (await get(`${BASE}/services/business.billing.json`)).json();
    expect(defJson).toMatchObject({
      service_code: 'business.billing',
      attributes: [{ code: 'account', datatype: 'string', required: false, order: 1 }],
    });

    // POST Service Request: the spec's example body first (its api_key "xyz" is refused), then with our key.
    const example = {
      api_key: 'xyz',
      jurisdiction_id: 'city.gov',
      service_code: '001',
      lat: '37.76524078',
      long: '-122.4212043',
      address_string: '1234 5th street',
      email: 'smit333@sfgov.edu',
      device_id: 'tt222111',
      account_id: '123456',
      first_name: 'john',
      last_name: 'smith',
      phone: '111111111',
      description: 'A large sinkhole is destroying the street',
      media_url: 'http://api.city.gov',
    };
    const refused = await t.app.inject({ method: 'POST', url: `${BASE}/requests.xml`, ...form(example) });
    expect(refused.statusCode).toBe(403);
    const unknownService = await t.app.inject({ method: 'POST', url: `${BASE}/requests.json`, ...form({ ...example, api_key: apiKey }) });
    expect(unknownService.statusCode).toBe(404);
    const posted = await t.app.inject({
      method: 'POST',
      url: `${BASE}/requests.xml`,
      ...form({
        ...example,
        api_key: apiKey,
        service_code: 'outage.repair',
        lat: '37.5',
        long: '117.2',
        address_string: '示范县南山村二组',
        first_name: '建国',
        last_name: '张',
        phone: '13912345678',
        description: '村里停电两天了，打电话说马上来修，到现在还没人来。',
        'attribute[account]': '3201000009',
      }),
    });
    expect(posted.statusCode, posted.body).toBe(200);
    const created = parseXml(posted.body);
    expect(created.name).toBe('service_requests');
    const req0 = created.children[0] as XNode;
    expect(req0.name).toBe('request');
    expect(names(req0)).toEqual(['service_request_id', 'token', 'service_notice', 'account_id']);
    const number = child(req0, 'service_request_id')?.text as string;
    expect(number).toMatch(/^TS20261102\d{5}$/);
    const order = await t.db.kysely.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
    expect(order).toMatchObject({
      channel: 'open311',
      kind: 'complaint',
      class_code: 'outage.repair',
      customer_phone: '13912345678',
      customer_name: '张建国',
      customer_account: '3201000009',
      lat: 37.5,
      lng: 117.2,
    });

    const general = await t.app.inject({
      method: 'POST',
      url: `${BASE}/requests.json`,
      ...form({ api_key: apiKey, service_code: 'general', address_string: '城关镇', description: '建议营业厅周末也开放半天' }),
    });
    expect(general.statusCode).toBe(400);
    expect(general.json()[0].description).toContain('attribute[kind]');
    const suggestion = await t.app.inject({
      method: 'POST',
      url: `${BASE}/requests.json`,
      ...form({
        api_key: apiKey,
        service_code: 'general',
        address_string: '城关镇',
        description: '建议营业厅周末也开放半天',
        'attribute[kind]': 'suggestion',
      }),
    });
    expect(suggestion.statusCode, suggestion.body).toBe(200);
    const sugg = suggestion.json() as Array<{ service_request_id: string; token: string }>;
    expect(sugg[0]?.service_request_id).toMatch(/^JY/);

    // GET service_request_id from a token: https://api.city.gov/dev/v2/tokens/123456.xml
    const tok = (await get(`${BASE}/tokens/${sugg[0]?.token}.json`)).json();
    expect(tok).toEqual([{ service_request_id: sugg[0]?.service_request_id, token: sugg[0]?.token }]);
    expect((await get(`${BASE}/tokens/123456.xml`)).statusCode).toBe(404);

    // GET Service Requests: https://api.city.gov/dev/v2/requests.xml?start_date=2010-05-24T00:00:00Z&end_date=2010-06-24T00:00:00Z&status=open
    const old = parseXml(
      (await get(`${BASE}/requests.xml?start_date=2010-05-24T00:00:00Z&end_date=2010-06-24T00:00:00Z&status=open`)).body,
    );
    expect(old.name).toBe('service_requests');
    expect(old.children).toEqual([]);
    const list = parseXml((await get(`${BASE}/requests.xml?status=open`)).body);
    expect(list.children.length).toBe(2);
    for (const r of list.children) {
      expect(r.name).toBe('request');
      expect(names(r)).toEqual(REQUEST_FIELDS);
      expect(child(r, 'status')?.text).toBe('open');
      expect(child(r, 'description')?.text).toBe(''); // public view: no text without an api_key
    }
    const keyed = (await get(`${BASE}/requests.json?api_key=${apiKey}&service_code=outage.repair`)).json() as Array<
      Record<string, unknown>
    >;
    expect(keyed).toHaveLength(1);
    expect(keyed[0]).toMatchObject({
      service_request_id: number,
      status: 'open',
      status_notes: null,
      description: order.description,
      expected_datetime: order.promise_due_at,
    });

    // GET Service Request: https://api.city.gov/dev/v2/requests/123456.xml — open, then closed with the approved reply.
    const agent = staff.agent as Record<string, string>;
    const handler = staff.handler as Record<string, string>;
    await act(t, agent, order.id, 'dispatch', { version: 1, unitId: await unitId(t, 'SFX-CG') });
    const dispatched = (await get(`${BASE}/requests/${number}.json`)).json()[0];
    const fresh = await t.db.kysely.selectFrom('tickets').selectAll().where('id', '=', order.id).executeTakeFirstOrThrow();
    expect(dispatched.expected_datetime).toBe(fresh.reply_due_at);
    expect(dispatched.agency_responsible).toBe('城关供电所');
    await act(t, handler, order.id, 'sign', { version: 2 });
    await act(t, handler, order.id, 'contact', { version: 3, note: '已联系客户，抢修队已出发' });
    const replyText = '经核实为台区低压线路故障，已于当日抢修恢复供电，并加强巡视。';
    await act(t, handler, order.id, 'reply', {
      version: 4,
      verification: 'substantiated',
      rootCause: 'aging_equipment',
      responsibility: 'company',
      replyText,
    });
    expect((await get(`${BASE}/requests/${number}.json`)).json()[0].status_notes).toBeNull(); // not yet reviewed
    await act(t, staff.reviewer as Record<string, string>, order.id, 'approve', { version: 5 });
    await act(t, agent, order.id, 'revisit', { version: 6, outcome: 'satisfied' });
    const one = parseXml((await get(`${BASE}/requests/${number}.xml`)).body);
    expect(one.name).toBe('service_requests');
    const r = one.children[0] as XNode;
    expect(names(r)).toEqual(REQUEST_FIELDS);
    expect(child(r, 'status')?.text).toBe('closed');
    // A public tracker shows that it was answered, not the answer: the approved reply goes to keyed clients only.
    expect(child(r, 'status_notes')?.text).toBe('');
    expect((await get(`${BASE}/requests/${number}.json?api_key=${apiKey}`)).json()[0].status_notes).toBe(replyText);
    expect(child(r, 'service_name')?.text).toBe('抢修服务（到达/恢复不及时）');
    expect((await get(`${BASE}/requests.json?status=closed`)).json()).toHaveLength(1);
  });

  it('shows anonymous clients only what a public tracker may: class, status, dates and the responsible unit', async () => {
    const posted = await t.app.inject({
      method: 'POST',
      url: `${BASE}/requests.json`,
      ...form({
        api_key: apiKey,
        service_code: 'outage.repair',
        lat: '43.81234',
        long: '87.61234',
        address_string: '示范县城关镇幸福路66号',
        first_name: '秀英',
        last_name: '欧阳',
        phone: '13955556666',
        description: '幸福路停电半天没人管，冰箱里的东西都坏了',
        'attribute[account]': '3201556677',
      }),
    });
    expect(posted.statusCode, posted.body).toBe(200);
    const number = posted.json()[0].service_request_id as string;
    const order = await t.db.kysely.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
    await act(t, staff.agent as Record<string, string>, order.id, 'dispatch', { version: 1, unitId: await unitId(t, 'SFX-CG') });
    const secrets = ['幸福路', '66号', '43.81', '87.61', '13955556666', '欧阳', '秀英', '3201556677', '冰箱'];
    for (const url of [
      `${BASE}/requests.json`,
      `${BASE}/requests.xml`,
      `${BASE}/requests/${number}.json`,
      `${BASE}/requests/${number}.xml`,
      `${BASE}/requests.json?service_request_id=${number}`,
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      for (const s of secrets) expect(res.body, `${url} shows ${s}`).not.toContain(s);
    }
    const [one] = (await get(`${BASE}/requests/${number}.json`)).json() as Array<Record<string, unknown>>;
    expect(one).toMatchObject({
      service_request_id: number,
      status: 'open',
      service_code: 'outage.repair',
      agency_responsible: '城关供电所',
      description: null,
      status_notes: null,
      address: null,
      lat: null,
      long: null,
      requested_datetime: order.intake_at,
    });
    // The token's client (an agent's roles) sees the address and coordinates: its roles see customers in full.
    const [keyed] = (await get(`${BASE}/requests/${number}.json?api_key=${apiKey}`)).json() as Array<Record<string, unknown>>;
    expect(keyed).toMatchObject({ address: '示范县城关镇幸福路66号', lat: 43.81234, long: 87.61234 });
  });

  it('never lists reports publicly, and scopes keyed queries to the token', async () => {
    const report = await t.app.inject({
      method: 'POST',
      url: `${BASE}/requests.json`,
      ...form({ api_key: apiKey, service_code: 'theft', address_string: '河口村', description: '有人私拉电线偷电' }),
    });
    expect(report.statusCode, report.body).toBe(200);
    const id = report.json()[0].service_request_id as string;
    expect(id).toMatch(/^JB/);
    expect((await get(`${BASE}/requests/${id}.json`)).statusCode).toBe(404);
    expect((await get(`${BASE}/requests.json?service_request_id=${id}`)).json()).toEqual([]);
    for (const url of [`${BASE}/requests.json`, `${BASE}/requests.xml`]) expect((await get(url)).body).not.toContain(id);
    expect((await get(`${BASE}/requests/${id}.json?api_key=${apiKey}`)).statusCode).toBe(200);
  });
});
