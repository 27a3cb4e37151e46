import rateLimit from '@fastify/rate-limit';
import { Type } from 'typebox';
import { permissionsOf } from '../../../core/permissions.ts';
import type { App } from '../../app.ts';
import { actorOf, SESSION_COOKIE } from '../../http/auth.ts';

const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
});
const PasswordBody = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
  newPassword: Type.String({ minLength: 1, maxLength: 200 }),
});

/** Login, logout, the current user and password change. */
export async function authRoutes(app: App): Promise<void> {
  await app.register(rateLimit, { global: false });
  const s = app.services;

  app.post(
    '/login',
    {
      schema: { body: LoginBody, tags: ['auth'] },
      // Per-IP throttle; the per-account lock-out lives in AuthService.
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const { token, actor } = await s.auth.login(req.body.username, req.body.password, {
        ip: req.ip,
        userAgent: req.headers['user-agent'] ?? null,
      });
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: req.protocol === 'https',
        maxAge: s.config.sessionAbsoluteHours * 3600,
      });
      return { user: meView(actor) };
    },
  );

  app.post('/logout', { schema: { tags: ['auth'] } }, async (req, reply) => {
    await s.auth.logout(actorOf(req));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/me', { schema: { tags: ['auth'] } }, async (req) => ({ user: meView(actorOf(req)) }));

  app.post('/password', { schema: { body: PasswordBody, tags: ['auth'] } }, async (req) => {
    await s.auth.changePassword(actorOf(req), req.body.currentPassword, req.body.newPassword);
    return { ok: true };
  });
}

function meView(a: ReturnType<typeof actorOf>) {
  return {
    id: a.userId,
    username: a.username,
    displayName: a.displayName,
    roles: a.roles,
    permissions: [...permissionsOf(a.roles)],
    unitId: a.unitId,
    companyId: a.companyId,
  };
}
