import type { FastifyPluginAsync } from 'fastify';
import { authRoutes } from './auth/auth.routes.ts';
import { healthRoutes } from './health/health.routes.ts';
import { notificationRoutes } from './notifications/notifications.routes.ts';
import { orgRoutes } from './org-units/org-units.routes.ts';
import { referenceRoutes } from './reference/reference.routes.ts';
import { ticketRoutes } from './tickets/tickets.routes.ts';
import { userRoutes } from './users/users.routes.ts';

/** Every route plugin with its prefix; app.ts registers them in this order. */
export const ROUTES: ReadonlyArray<readonly [plugin: unknown, prefix: string]> = [
  [healthRoutes, ''],
  [authRoutes, '/api/v1/auth'],
  [userRoutes, '/api/v1'],
  [orgRoutes, '/api/v1/org-units'],
  [ticketRoutes, '/api/v1'],
  [referenceRoutes, '/api/v1'],
  [notificationRoutes, '/api/v1/notifications'],
];

export type RoutePlugin = FastifyPluginAsync;
