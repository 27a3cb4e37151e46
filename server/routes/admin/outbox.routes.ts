import { Type } from 'typebox';
import { OutboxPage, OutboxRetried } from '../../../core/schemas/outbox.schema.ts';
import type { App } from '../../app.ts';
import { actorOf } from '../../http/auth.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const List = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('sending'), Type.Literal('sent'), Type.Literal('dead')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  beforeId: Type.Optional(Type.Integer({ minimum: 1 })),
});

/** The notification outbox for admins: deliveries, dead letters, retry. */
export async function outboxAdminRoutes(app: App): Promise<void> {
  const s = app.services.outbox;
  app.get('/outbox', { schema: { querystring: List, response: { 200: OutboxPage }, tags: ['admin'] } }, async (req) =>
    s.list(actorOf(req), { status: req.query.status, limit: req.query.limit ?? 50, beforeId: req.query.beforeId }),
  );
  app.post('/outbox/:id/retry', { schema: { params: Id, response: { 200: OutboxRetried }, tags: ['admin'] } }, async (req) => ({
    message: await s.retry(actorOf(req), req.params.id),
  }));
}
