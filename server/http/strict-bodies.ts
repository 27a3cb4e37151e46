import type { RouteOptions } from 'fastify';

// The administration resources: a key the schema does not name is a mistake (or a probe), never data to keep.
const ADMIN_PREFIXES = [
  '/api/v1/users',
  '/api/v1/org-units',
  '/api/v1/api-tokens',
  '/api/v1/taxonomy',
  '/api/v1/time-policies',
  '/api/v1/calendar',
  '/api/v1/scripts',
  '/api/v1/text/',
  '/api/v1/admin/',
  '/api/v1/auth/password',
];

/**
 * Refuses unknown keys in the body of every administration route (400 naming the key): without it a body
 * like `{"id":9999}` reached the update and renumbered a row. Applied once here so no route can forget it.
 */
export function strictAdminBodies(route: RouteOptions): void {
  const body = route.schema?.body as Record<string | symbol, unknown> | undefined;
  if (body?.type !== 'object' || body.additionalProperties !== undefined) return;
  if (!ADMIN_PREFIXES.some((p) => route.url.startsWith(p))) return;
  (route.schema as { body: unknown }).body = { ...body, additionalProperties: false };
}
