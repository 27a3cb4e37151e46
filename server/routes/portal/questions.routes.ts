import { Type } from 'typebox';
import { OutboxMessageList } from '../../../core/schemas/outbox.schema.ts';
import { QuestionAsked } from '../../../core/schemas/portal.schema.ts';
import type { App } from '../../app.ts';
import { actorOf } from '../../http/auth.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Question = Type.Object({ text: Type.String({ minLength: 2, maxLength: 2000 }) });

/** Staff side of the customer channels: ask the customer or reporter a question; see the messages sent about an order. */
export async function customerChannelRoutes(app: App): Promise<void> {
  const s = app.services;
  app.post(
    '/tickets/:id/questions',
    { schema: { params: Id, body: Question, response: { 201: QuestionAsked }, tags: ['tickets'] } },
    async (req, reply) => reply.status(201).send({ question: await s.portal.ask(actorOf(req), req.params.id, req.body.text) }),
  );
  app.get('/tickets/:id/messages', { schema: { params: Id, response: { 200: OutboxMessageList }, tags: ['tickets'] } }, async (req) => ({
    items: await s.outbox.forTicket(actorOf(req), req.params.id),
  }));
}
