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
  /** Outage events (停电事件): create, update, restore with the bulk answer, import. */
  'outage.manage',
  'report.identity.read',
  'stats.read',
  /** Rectification orders (整改单): raise, verify, check effectiveness (centre) / submit measures (unit lead). */
  'rectification.manage',
  'rectification.respond',
  'admin.users',
  'admin.org',
  'admin.taxonomy',
  'admin.policies',
  'admin.calendar',
  'admin.tokens',
  /** KPI targets (考核目标) per unit; every change is kept with who made it. */
  'admin.kpi',
  /** The notification outbox: see deliveries and dead letters, retry them. */
  'admin.outbox',
  /** Import of historical orders (gridvoice import orders). */
  'admin.import',
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
];

/**
 * Roles → permissions. A user's permissions are the union over their roles. How much of a customer's
 * data a role sees is the masking policy in server/domain/customer-data.ts, not a permission here.
 */
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
    'outage.manage',
  ],
  handler: HANDLER,
  unit_lead: [...HANDLER, 'ticket.suspend.approve', 'ticket.approve.unit', 'ticket.appeal', 'outage.manage', 'rectification.respond'],
  reviewer: ['ticket.read', 'ticket.note', 'ticket.approve', 'ticket.reject', 'ticket.link', 'rectification.manage'],
  leader: ['ticket.read', 'ticket.grade', 'ticket.note', 'ticket.supervise', 'ticket.urge', 'stats.read', 'rectification.manage'],
  discipline: ['ticket.read', 'ticket.note', 'report.identity.read'],
  // Analysts find the causes in the figures and raise, verify and check rectifications of them (the centre's
  // corrective loop); they read no personal data beyond what the orders already show them.
  analyst: ['ticket.read', 'stats.read', 'rectification.manage'],
  admin: [
    'admin.users',
    'admin.org',
    'admin.taxonomy',
    'admin.policies',
    'admin.calendar',
    'admin.tokens',
    'admin.kpi',
    'outage.manage',
    'admin.outbox',
    'admin.import',
  ],
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
