import { Type } from 'typebox';
import { NoContent } from '../../../core/schemas/common.schema.ts';
import { OrderScript, Script, ScriptsAnswer } from '../../../core/schemas/script.schema.ts';
import { CHANNELS, KINDS } from '../../../core/taxonomy.ts';
import type { App } from '../../app.ts';
import { actorOf } from '../../http/auth.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Section = Type.String({ minLength: 1, maxLength: 2000 });
const CreateScript = Type.Object({
  classCode: Type.String({ pattern: '^(\\*|[a-z_]+(\\.[a-z_]+)*)$', maxLength: 64 }),
  title: Type.String({ minLength: 1, maxLength: 64 }),
  empathy: Section,
  explanation: Section,
  promise: Section,
  deescalation: Section,
  active: Type.Optional(Type.Boolean()),
});
const UpdateScript = Type.Partial(Type.Omit(CreateScript, ['classCode']));
const ForClass = Type.Object({
  class: Type.Optional(Type.String({ maxLength: 64 })),
  kind: Type.Optional(Type.Union(KINDS.map((k) => Type.Literal(k.code)))),
  externalDueAt: Type.Optional(Type.String({ format: 'date-time' })),
  unitId: Type.Optional(Type.Integer({ minimum: 1 })),
  channel: Type.Optional(Type.Union(CHANNELS.map((c) => Type.Literal(c.code)))),
});

/** Reply scripts (话术): rendered for an order or a class for staff; the library is edited by admins. */
export async function scriptRoutes(app: App): Promise<void> {
  const s = app.services.scripts;

  app.get('/scripts', { schema: { querystring: ForClass, response: { 200: ScriptsAnswer }, tags: ['scripts'] } }, async (req) => {
    const q = req.query;
    if (q.class === undefined) return s.list(actorOf(req));
    // `class=*` (or empty) asks for the generic script.
    return s.forClass(actorOf(req), {
      classCode: q.class && q.class !== '*' ? q.class : null,
      kind: q.kind,
      unitId: q.unitId,
      channel: q.channel,
      externalDueAt: q.externalDueAt,
    });
  });

  app.get('/scripts/for-order/:id', { schema: { params: Id, response: { 200: OrderScript }, tags: ['scripts'] } }, async (req) =>
    s.forOrder(actorOf(req), req.params.id),
  );

  app.get('/scripts/:id', { schema: { params: Id, response: { 200: Script }, tags: ['scripts'] } }, async (req) =>
    s.get(actorOf(req), req.params.id),
  );

  app.post('/scripts', { schema: { body: CreateScript, response: { 201: Script }, tags: ['scripts'] } }, async (req, reply) =>
    reply.status(201).send(await s.create(actorOf(req), req.body)),
  );

  app.patch('/scripts/:id', { schema: { params: Id, body: UpdateScript, response: { 200: Script }, tags: ['scripts'] } }, async (req) =>
    s.update(actorOf(req), req.params.id, req.body),
  );

  app.delete('/scripts/:id', { schema: { params: Id, response: { 204: NoContent }, tags: ['scripts'] } }, async (req, reply) => {
    await s.remove(actorOf(req), req.params.id);
    return reply.status(204).send(null);
  });
}
