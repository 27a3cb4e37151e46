import type { FastifyPluginAsync } from 'fastify';
import { outboxAdminRoutes } from './admin/outbox.routes.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { healthRoutes } from './health/health.routes.ts';
import { importRoutes } from './import/import.routes.ts';
import { notificationRoutes } from './notifications/notifications.routes.ts';
import { open311Routes } from './open311/open311.routes.ts';
import { orgRoutes } from './org-units/org-units.routes.ts';
import { outageRoutes } from './outages/outages.routes.ts';
import { portalRoutes } from './portal/portal.routes.ts';
import { portalPageRoutes } from './portal/portal-page.routes.ts';
import { customerChannelRoutes } from './portal/questions.routes.ts';
import { rectificationRoutes } from './rectifications/rectifications.routes.ts';
import { referenceRoutes } from './reference/reference.routes.ts';
import { scriptRoutes } from './scripts/scripts.routes.ts';
import { searchRoutes } from './search/search.routes.ts';
import { kpiRoutes } from './stats/kpi.routes.ts';
import { publicStatsRoutes } from './stats/public-stats.routes.ts';
import { statsRoutes } from './stats/stats.routes.ts';
import { textRoutes } from './text/text.routes.ts';
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
  // Customer channels: public portal API and page, Open311, staff questions, outbox admin.
  [portalRoutes, '/api/public/portal'],
  [portalPageRoutes, ''],
  [open311Routes, '/open311/v2'],
  [customerChannelRoutes, '/api/v1'],
  [outboxAdminRoutes, '/api/v1/admin'],
  [searchRoutes, '/api/v1'],
  [textRoutes, '/api/v1'],
  [scriptRoutes, '/api/v1'],
  [outageRoutes, '/api/v1'],
  [importRoutes, '/api/v1'],
  // Statistics, reports, exports, bulletins, rectification orders and the public figures.
  [statsRoutes, '/api/v1'],
  [kpiRoutes, '/api/v1'],
  [rectificationRoutes, '/api/v1'],
  [publicStatsRoutes, ''],
];

export type RoutePlugin = FastifyPluginAsync;
