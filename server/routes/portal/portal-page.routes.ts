import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../../app.ts';
import { AppError } from '../../errors.ts';

const DIR = join(import.meta.dirname, 'assets');
const ASSETS: Record<string, { type: string; body: string }> = {
  'portal.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(join(DIR, 'portal.js'), 'utf8') },
  'portal.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(DIR, 'portal.css'), 'utf8') },
};
const PAGE = readFileSync(join(DIR, 'portal.html'), 'utf8');

/**
 * The customer portal page (mobile-first H5, zh-CN): one server-rendered HTML file with a little vanilla JS,
 * no CDN, independent of the staff web app's build. Registered routes win over the SPA fallback, so `/portal`
 * and everything under it is ours.
 */
export async function portalPageRoutes(app: App): Promise<void> {
  const page = async (_req: unknown, reply: import('fastify').FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(PAGE);
  app.get('/portal', { schema: { hide: true } }, page);
  app.get('/portal/assets/:file', { schema: { hide: true } }, async (req, reply) => {
    const a = ASSETS[(req.params as { file: string }).file];
    if (!a) throw new AppError('not_found');
    return reply.type(a.type).header('Cache-Control', 'public, max-age=300').send(a.body);
  });
  app.get('/portal/*', { schema: { hide: true } }, page);
}
