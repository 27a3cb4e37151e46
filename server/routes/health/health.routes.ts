import { sql } from 'kysely';
import type { App } from '../../app.ts';

/** Liveness (the process answers) and readiness (the database answers). */
export async function healthRoutes(app: App): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(app.services.db.kysely);
      return { status: 'ready', database: app.services.db.dialect };
    } catch (err) {
      reply.log.warn({ err }, 'database not reachable');
      return reply.status(503).send({ error: { code: 'unavailable', message: 'Database not reachable', details: {} } });
    }
  });
}
