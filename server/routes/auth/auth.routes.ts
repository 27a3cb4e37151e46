import { Type } from 'typebox';
import { permissionsOf } from '../../../core/permissions.ts';
import { MeResponse } from '../../../core/schemas/auth.schema.ts';
import { Ok } from '../../../core/schemas/common.schema.ts';
import type { App } from '../../app.ts';
import { customerAccessOf } from '../../domain/customer-data.ts';
import { actorOf, SESSION_COOKIE } from '../../http/auth.ts';
import { secureCookies } from '../../http/proxy.ts';
import { registerRateLimit } from '../../http/rate-limit.ts';

const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
});
const PasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
    newPassword: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

/** Login, logout, the current user and password change. */
export async function authRoutes(app: App): Promise<void> {
  await registerRateLimit(app);
  const s = app.services;

  app.post(
    '/login',
    {
      schema: { body: LoginBody, response: { 200: MeResponse }, tags: ['auth'] },
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
        secure: secureCookies(req, s.config.deploy),
        maxAge: s.config.sessionAbsoluteHours * 3600,
      });
      return { user: meView(actor) };
    },
  );

  app.post('/logout', { schema: { response: { 200: Ok }, tags: ['auth'] } }, async (req, reply) => {
    await s.auth.logout(actorOf(req));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/me', { schema: { response: { 200: MeResponse }, tags: ['auth'] } }, async (req) => ({ user: meView(actorOf(req)) }));

  app.post('/password', { schema: { body: PasswordBody, response: { 200: Ok }, tags: ['auth'] } }, async (req) => {
    await s.auth.changePassword(actorOf(req), req.body.currentPassword, req.body.newPassword);
    return { ok: true };
  });
}

function meView(a: ReturnType<typeof actorOf>) {
  return {
    id: a.userId,
    username: a.username,
    displayName: a.displayName,
    roles: [...a.roles],
    permissions: [...permissionsOf(a.roles)],
    /** How much customer data the user sees (full, masked, none): the UI offers lookups by number only with full. */
    customerAccess: customerAccessOf(a.roles),
    unitId: a.unitId,
    companyId: a.companyId,
    mustChangePassword: a.mustChangePassword === true,
  };
}
