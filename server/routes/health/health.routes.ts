import type { App } from '../../app.ts';
import { ERROR_CATALOGUE } from '../../errors.ts';

/** Liveness (the process answers) and readiness (not draining, and the database answers). */
export async function healthRoutes(app: App): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    if (app.lifecycle.draining) {
      return reply.status(503).send({ error: { code: 'unavailable', message: 'Shutting down', details: { draining: true } } });
    }
    try {
      await app.services.health.ping();
      return { status: 'ready', database: app.services.health.dialect };
    } catch (err) {
      reply.log.warn({ err }, 'database not reachable');
      return reply
        .status(503)
        .send({ error: { code: 'database_unavailable', message: ERROR_CATALOGUE.database_unavailable.message, details: {} } });
    }
  });
}
