import { Type } from 'typebox';
import { NoContent, Ok } from '../../../core/schemas/common.schema.ts';
import { AreaBody, AreaList, LexiconAnswer, LexiconWordBody, SuggestAnswer, SuggestBody } from '../../../core/schemas/text.schema.ts';
import type { App } from '../../app.ts';
import { actorOf } from '../../http/auth.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** Help for the agent at intake (suggestions) and the admin-edited lexicon and place → 供电所 map behind it. */
export async function textRoutes(app: App): Promise<void> {
  const s = app.services;

  app.post('/intake/suggest', { schema: { body: SuggestBody, response: { 200: SuggestAnswer }, tags: ['text'] } }, async (req) =>
    s.text.suggest(actorOf(req), req.body),
  );

  app.get('/text/lexicon', { schema: { response: { 200: LexiconAnswer }, tags: ['text'] } }, async (req) => s.text.lexicon(actorOf(req)));

  app.post('/text/lexicon', { schema: { body: LexiconWordBody, response: { 201: Ok }, tags: ['text'] } }, async (req, reply) => {
    await s.text.setLexiconWord(actorOf(req), req.body);
    return reply.status(201).send({ ok: true });
  });

  app.delete('/text/lexicon/:id', { schema: { params: Id, response: { 204: NoContent }, tags: ['text'] } }, async (req, reply) => {
    await s.text.deleteLexiconEdit(actorOf(req), req.params.id);
    return reply.status(204).send(null);
  });

  app.get('/text/areas', { schema: { response: { 200: AreaList }, tags: ['text'] } }, async (req) => ({
    areas: await s.text.areas(actorOf(req)),
  }));

  app.post('/text/areas', { schema: { body: AreaBody, response: { 201: Ok }, tags: ['text'] } }, async (req, reply) => {
    await s.text.setArea(actorOf(req), req.body);
    return reply.status(201).send({ ok: true });
  });

  app.delete('/text/areas/:id', { schema: { params: Id, response: { 204: NoContent }, tags: ['text'] } }, async (req, reply) => {
    await s.text.deleteArea(actorOf(req), req.params.id);
    return reply.status(204).send(null);
  });
}
