import { Type } from 'typebox';
import {
  ActiveOutageList,
  OrderOutageList,
  OutageAnswerResult,
  OutageDetail,
  OutageImport,
  OutageList,
  OutageRestored,
  OutageStats,
} from '../../../core/schemas/outage.schema.ts';
import { RESPONSIBILITY, ROOT_CAUSES, VERIFICATION_RESULTS } from '../../../core/taxonomy.ts';
import type { App } from '../../app.ts';
import { OUTAGE_KINDS } from '../../domain/outage.ts';
import { actorOf } from '../../http/auth.ts';

const literals = (list: ReadonlyArray<{ code: string }>) => Type.Union(list.map((x) => Type.Literal(x.code)));
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Names = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 200 });
const Outage = Type.Object({
  kind: literals(OUTAGE_KINDS),
  title: Type.String({ minLength: 2, maxLength: 120 }),
  cause: Type.String({ minLength: 1, maxLength: 500 }),
  unitIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 50 }),
  areas: Type.Optional(Names),
  feeders: Type.Optional(Names),
  startAt: Type.String({ format: 'date-time' }),
  expectedRestoreAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  note: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
});
const UpdateOutage = Type.Partial(Type.Object({ ...Outage.properties, status: Type.Literal('cancelled') }));
const Answer = Type.Object({
  verification: Type.Optional(literals(VERIFICATION_RESULTS)),
  rootCause: literals(ROOT_CAUSES),
  responsibility: Type.Optional(literals(RESPONSIBILITY)),
  replyText: Type.Optional(Type.String({ minLength: 10, maxLength: 4000 })),
  contactNote: Type.Optional(Type.Union([Type.String({ minLength: 2, maxLength: 2000 }), Type.Null()])),
});
const Restore = Type.Object({ restoredAt: Type.Optional(Type.String({ format: 'date-time' })), answer: Type.Optional(Answer) });
const ListQuery = Type.Object({
  status: Type.Optional(Type.String({ maxLength: 40 })),
  unitId: Type.Optional(Type.Integer({ minimum: 1 })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});
const ActiveQuery = Type.Object({
  location: Type.Optional(Type.String({ maxLength: 200 })),
  unitId: Type.Optional(Type.Integer({ minimum: 1 })),
});
const Period = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
});
const ImportQuery = Type.Object({
  dryRun: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0'), Type.Literal('true'), Type.Literal('false')])),
});

const LinkOrder = Type.Object({ ticketId: Type.Integer({ minimum: 1 }) });

const iso = (s: string | undefined) => (s ? new Date(s).toISOString() : undefined);

/** Outage events (停电事件): record, match at intake, linked orders, restore with the bulk answer, CSV import, statistics. */
export async function outageRoutes(app: App): Promise<void> {
  const s = app.services.outages;
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 5 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.get('/outages', { schema: { querystring: ListQuery, response: { 200: OutageList }, tags: ['outages'] } }, async (req) =>
    s.list(actorOf(req), { ...req.query, from: iso(req.query.from), to: iso(req.query.to) }),
  );

  app.get(
    '/outages/active',
    { schema: { querystring: ActiveQuery, response: { 200: ActiveOutageList }, tags: ['outages'] } },
    async (req) => s.active(actorOf(req), req.query),
  );

  app.get('/outages/stats', { schema: { querystring: Period, response: { 200: OutageStats }, tags: ['outages'] } }, async (req) =>
    s.stats(actorOf(req), { from: iso(req.query.from), to: iso(req.query.to) }),
  );

  app.post('/outages/import', { schema: { querystring: ImportQuery, response: { 200: OutageImport }, tags: ['outages'] } }, async (req) =>
    s.importCsv(actorOf(req), typeof req.body === 'string' ? req.body : '', { dryRun: ['1', 'true'].includes(req.query.dryRun ?? '') }),
  );

  app.post('/outages', { schema: { body: Outage, response: { 201: OutageDetail }, tags: ['outages'] } }, async (req, reply) =>
    reply.status(201).send(await s.create(actorOf(req), req.body)),
  );

  app.get('/outages/:id', { schema: { params: Id, response: { 200: OutageDetail }, tags: ['outages'] } }, async (req) =>
    s.get(actorOf(req), req.params.id),
  );

  app.patch(
    '/outages/:id',
    { schema: { params: Id, body: UpdateOutage, response: { 200: OutageDetail }, tags: ['outages'] } },
    async (req) => s.update(actorOf(req), req.params.id, req.body),
  );

  app.get('/outages/for-order/:id', { schema: { params: Id, response: { 200: OrderOutageList }, tags: ['outages'] } }, async (req) =>
    s.ofOrder(actorOf(req), req.params.id),
  );

  app.post(
    '/outages/:id/orders',
    { schema: { params: Id, body: LinkOrder, response: { 201: OutageDetail }, tags: ['outages'] } },
    async (req, reply) => reply.status(201).send(await s.linkOrder(actorOf(req), req.params.id, req.body.ticketId)),
  );

  app.post(
    '/outages/:id/restore',
    { schema: { params: Id, body: Restore, response: { 200: OutageRestored }, tags: ['outages'] } },
    async (req) => s.restore(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/outages/:id/answer',
    { schema: { params: Id, body: Answer, response: { 200: OutageAnswerResult }, tags: ['outages'] } },
    async (req) => s.answer(actorOf(req), req.params.id, req.body),
  );
}
