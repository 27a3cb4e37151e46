import { Type } from 'typebox';
import { NotificationList } from '../../../core/schemas/auth.schema.ts';
import { Ok } from '../../../core/schemas/common.schema.ts';
import type { App } from '../../app.ts';
import { actorOf } from '../../http/auth.ts';

const ListQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), unread: Type.Optional(Type.Boolean()) });
const ReadBody = Type.Object({ ids: Type.Union([Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 500 }), Type.Literal('all')]) });

/** The in-app notification bell. */
export async function notificationRoutes(app: App): Promise<void> {
  const s = app.services.notifications;
  app.get('/', { schema: { querystring: ListQuery, response: { 200: NotificationList }, tags: ['notifications'] } }, async (req) =>
    s.list(actorOf(req), { limit: req.query.limit ?? 30, unreadOnly: req.query.unread ?? false }),
  );
  app.post('/read', { schema: { body: ReadBody, response: { 200: Ok }, tags: ['notifications'] } }, async (req) => {
    await s.markRead(actorOf(req), req.body.ids);
    return { ok: true };
  });
}
