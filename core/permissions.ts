import type { Role } from './taxonomy.ts';

/** Every permission the system checks; actions and routes name these, never roles. */
export const PERMISSIONS = [
  'ticket.read',
  'ticket.intake',
  'ticket.grade',
  'ticket.dispatch',
  'ticket.sign',
  'ticket.return',
  'ticket.contact',
  'ticket.note',
  'ticket.suspend.request',
  'ticket.suspend.approve',
  'ticket.resume',
  'ticket.reply',
  'ticket.approve',
  'ticket.approve.unit',
  'ticket.reject',
  'ticket.revisit',
  'ticket.urge',
  'ticket.supervise',
  'ticket.merge',
  'ticket.invalidate',
  'ticket.appeal',
  'ticket.link',
  'customer.phone.read',
  'report.identity.read',
  'stats.read',
  'admin.users',
  'admin.org',
  'admin.taxonomy',
  'admin.policies',
  'admin.calendar',
  'admin.tokens',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const HANDLER: Permission[] = [
  'ticket.read',
  'ticket.sign',
  'ticket.return',
  'ticket.contact',
  'ticket.note',
  'ticket.suspend.request',
  'ticket.resume',
  'ticket.reply',
  'ticket.link',
  'customer.phone.read',
];

/** Roles → permissions (DESIGN §1). A user's permissions are the union over their roles. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  agent: [
    'ticket.read',
    'ticket.intake',
    'ticket.grade',
    'ticket.dispatch',
    'ticket.note',
    'ticket.revisit',
    'ticket.urge',
    'ticket.merge',
    'ticket.invalidate',
    'ticket.link',
    'customer.phone.read',
  ],
  handler: HANDLER,
  unit_lead: [...HANDLER, 'ticket.suspend.approve', 'ticket.approve.unit', 'ticket.appeal'],
  reviewer: ['ticket.read', 'ticket.note', 'ticket.approve', 'ticket.reject', 'ticket.link', 'customer.phone.read'],
  leader: ['ticket.read', 'ticket.grade', 'ticket.note', 'ticket.supervise', 'ticket.urge', 'stats.read'],
  discipline: ['ticket.read', 'ticket.note', 'report.identity.read', 'customer.phone.read'],
  analyst: ['ticket.read', 'stats.read'],
  admin: ['admin.users', 'admin.org', 'admin.taxonomy', 'admin.policies', 'admin.calendar', 'admin.tokens'],
};

/** The union of the permissions of the given roles. */
export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const r of roles) for (const p of ROLE_PERMISSIONS[r] ?? []) out.add(p);
  return out;
}

/** Whether any of the roles grants the permission. */
export function can(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((r) => ROLE_PERMISSIONS[r]?.includes(permission));
}
