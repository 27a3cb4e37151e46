import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../container.ts';
import { AppError } from '../errors.ts';
import type { Actor } from '../services/actor.ts';

export const SESSION_COOKIE = 'gv_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** The route checks its own credential (the metrics token), so a bearer header is not an API token there. */
    ownAuth?: boolean;
  }
}

/** Resolves the session cookie or bearer token on every request; routes then call `actorOf`. */
export function authenticator(services: Services) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    req.actor = null;
    if (req.routeOptions.config.ownAuth) return;
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      req.actor = await services.auth.fromToken(header.slice(7).trim());
      if (!req.actor) throw new AppError('unauthenticated', 'Invalid or revoked API token');
      return;
    }
    const cookie = req.cookies[SESSION_COOKIE];
    if (cookie) {
      req.actor = await services.auth.fromSession(cookie);
      if (!req.actor) reply.clearCookie(SESSION_COOKIE, { path: '/' });
    }
    if (
      req.actor?.mustChangePassword &&
      (req.url.startsWith('/api/v1/') || req.url.startsWith('/open311/')) &&
      !PASSWORD_CHANGE_ROUTES.has(`${req.method} ${req.routeOptions.url}`)
    ) {
      throw new AppError('password_change_required');
    }
  };
}

/** What a user whose password must change may still do: see who they are, change it, or leave. */
const PASSWORD_CHANGE_ROUTES = new Set(['GET /api/v1/auth/me', 'POST /api/v1/auth/password', 'POST /api/v1/auth/logout']);

/** The authenticated actor, or 401. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('unauthenticated');
  return req.actor;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Rejects cross-site state-changing requests. The session cookie is SameSite=Strict already; this also
 * refuses a browser request whose Origin names another host. Clients that send no Origin (curl, machines
 * with bearer tokens) are not browsers and carry no ambient credentials from another site.
 */
export function originCheck(req: FastifyRequest): void {
  if (SAFE_METHODS.has(req.method)) return;
  if (req.headers['sec-fetch-site'] === 'cross-site') throw new AppError('csrf_rejected');
  const origin = req.headers.origin;
  if (!origin) return;
  let same = false;
  try {
    const o = new URL(origin);
    // Compare through URL on both sides so that default ports (:80, :443) normalise alike. `req.host` is the
    // Host header, or X-Forwarded-Host when a trusted proxy sent the request.
    same = o.host === new URL(`${o.protocol}//${req.host}`).host;
  } catch {
    same = false;
  }
  if (!same) throw new AppError('csrf_rejected');
}
