import { Type } from 'typebox';
import { NoContent } from '../../../core/schemas/common.schema.ts';
import { SearchAnswer, SearchQuery, SynonymGroup, SynonymGroupBody, SynonymGroupList } from '../../../core/schemas/text.schema.ts';
import type { App } from '../../app.ts';
import { actorOf } from '../../http/auth.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** The one search box over the orders in the actor's scope, and the synonym list admins keep for it. */
export async function searchRoutes(app: App): Promise<void> {
  const s = app.services;

  app.get('/search', { schema: { querystring: SearchQuery, response: { 200: SearchAnswer }, tags: ['search'] } }, async (req) =>
    s.search.search(actorOf(req), req.query.q, req.query.limit ?? 20, req.query.cursor ?? null),
  );

  app.get('/search/synonyms', { schema: { response: { 200: SynonymGroupList }, tags: ['search'] } }, async (req) => ({
    groups: await s.search.synonymGroups(actorOf(req)),
  }));

  app.post(
    '/search/synonyms',
    { schema: { body: SynonymGroupBody, response: { 201: SynonymGroup }, tags: ['search'] } },
    async (req, reply) => reply.status(201).send(await s.search.addSynonymGroup(actorOf(req), req.body.words)),
  );

  app.put(
    '/search/synonyms/:id',
    { schema: { params: Id, body: SynonymGroupBody, response: { 200: SynonymGroup }, tags: ['search'] } },
    async (req) => s.search.updateSynonymGroup(actorOf(req), req.params.id, req.body.words),
  );

  app.delete('/search/synonyms/:id', { schema: { params: Id, response: { 204: NoContent }, tags: ['search'] } }, async (req, reply) => {
    await s.search.deleteSynonymGroup(actorOf(req), req.params.id);
    return reply.status(204).send(null);
  });
}
