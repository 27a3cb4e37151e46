import { SearchQuery } from '../../../core/schemas/text.schema.ts';
import type { App } from '../../app.ts';
import { actorOf } from '../../http/auth.ts';

/** Full-text search over the orders in the actor's scope, ranked, with marked snippets. */
export async function searchRoutes(app: App): Promise<void> {
  const s = app.services;

  app.get('/search', { schema: { querystring: SearchQuery, tags: ['search'] } }, async (req) =>
    s.search.search(actorOf(req), req.query.q, req.query.limit ?? 20, req.query.cursor ?? null),
  );
}
