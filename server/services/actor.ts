import { can, type Permission } from '../../core/permissions.ts';
import type { Role } from '../../core/taxonomy.ts';
import { AppError } from '../errors.ts';

/** Who is acting: a logged-in user or an API token, with the unit paths that scope what they see. */
export interface Actor {
  readonly kind: 'user' | 'token';
  readonly userId: number | null;
  readonly tokenId: number | null;
  readonly username: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly unitId: number;
  readonly unitPath: string;
  /** The name of the actor's unit, when the look-up that made the actor read it. */
  readonly unitName?: string;
  readonly companyId: number | null;
  readonly companyPath: string | null;
  readonly sessionIdHash: string | null;
  /** A user whose password was set by someone else must change it before anything else. */
  readonly mustChangePassword?: boolean;
}

/** Throws 403 unless the actor holds the permission. */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor.roles, permission)) throw new AppError('forbidden', `Missing permission ${permission}`, { permission });
}

/** A key that identifies the actor for idempotency and rate limiting. */
export function actorKey(actor: Actor): string {
  return actor.kind === 'user' ? `u:${actor.userId}` : `t:${actor.tokenId}`;
}
