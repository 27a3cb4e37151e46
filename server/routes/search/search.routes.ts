import { Type } from 'typebox';
import { SearchQuery, SynonymGroupBody } from '../../../core/schemas/text.schema.ts';
import type { App } from '../../app.ts';
import { actorOf } from '../../http/auth.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** The one search box over the orders in the actor's scope, and the synonym list admins keep for it. */
export async function searchRoutes(app: App): Promise<void> {
  const s = app.services;

  app.get('/search', { schema: { querystring: SearchQuery, tags: ['search'] } }, async (req) =>
    s.search.search(actorOf(req), req.query.q, req.query.limit ?? 20, req.query.cursor ?? null),
  );

  app.get('/search/synonyms', { schema: { tags: ['search'] } }, async (req) => ({ groups: await s.search.synonymGroups(actorOf(req)) }));

  app.post('/search/synonyms', { schema: { body: SynonymGroupBody, tags: ['search'] } }, async (req, reply) =>
    reply.status(201).send(await s.search.addSynonymGroup(actorOf(req), req.body.words)),
  );

  app.put('/search/synonyms/:id', { schema: { params: Id, body: SynonymGroupBody, tags: ['search'] } }, async (req) =>
    s.search.updateSynonymGroup(actorOf(req), req.params.id, req.body.words),
  );

  app.delete('/search/synonyms/:id', { schema: { params: Id, tags: ['search'] } }, async (req, reply) => {
    await s.search.deleteSynonymGroup(actorOf(req), req.params.id);
    return reply.status(204).send();
  });
}
