import type { Kysely } from 'kysely';
import { isCode, ROLES, type Role } from '../../core/taxonomy.ts';
import type { Database } from '../db/schema.ts';
import { AppError, invalidField } from '../errors.ts';
import { randomToken, sha256 } from '../lib/crypto.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import type { UserRepository, UserWithRoles } from '../repositories/user.repository.ts';
import { type Actor, requirePermission } from './actor.ts';
import { hashPassword } from './auth.service.ts';
import { assertStrongPassword } from './password-policy.ts';

/** Public shape of a user (never the hash). */
export function userView(u: UserWithRoles) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    unitId: u.unit_id,
    unitName: u.unit_name,
    phone: u.phone,
    roles: u.roles as Role[],
    active: u.active === 1,
    mustChangePassword: u.must_change_password === 1,
    lockedUntil: u.locked_until,
  };
}

function checkRoles(roles: readonly string[], field = 'roles'): Role[] {
  if (roles.length === 0) throw invalidField(field, 'at least one role is required');
  for (const r of roles) if (!isCode(ROLES, r)) throw invalidField(field, `unknown role "${r}"`);
  return [...new Set(roles)] as Role[];
}

/** Account administration and API tokens. */
export class UserService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly users: UserRepository,
    private readonly org: OrgRepository,
    private readonly clock: Clock,
  ) {}

  /** All users (admin). */
  async list(actor: Actor): Promise<UserWithRoles[]> {
    requirePermission(actor, 'admin.users');
    return this.users.list();
  }

  /** Creates a user; `actor` null is the CLI/seeder acting as the system. */
  async create(
    actor: Actor | null,
    input: {
      username: string;
      displayName: string;
      unitId: number;
      roles: string[];
      password: string;
      phone?: string | null;
      mustChangePassword?: boolean;
    },
  ): Promise<UserWithRoles> {
    if (actor) requirePermission(actor, 'admin.users');
    const roles = checkRoles(input.roles);
    assertStrongPassword('password', input.password, input.username);
    const passwordHash = await hashPassword(input.password);
    const id = await this.db.transaction().execute(async (trx) => {
      if (await this.users.findByUsername(input.username, trx)) throw invalidField('username', 'is already taken');
      const unit = await this.org.find(input.unitId, trx);
      if (unit?.active !== 1) throw invalidField('unitId', 'does not exist or is inactive');
      return this.users.insert(
        {
          username: input.username,
          displayName: input.displayName,
          unitId: input.unitId,
          phone: input.phone ?? null,
          passwordHash,
          mustChange: input.mustChangePassword ?? true,
          at: iso(this.clock()),
        },
        roles,
        trx,
      );
    });
    return (await this.users.find(id)) as UserWithRoles;
  }

  /** Changes name, unit, roles or active flag (admin); deactivation ends the user's sessions. */
  async update(
    actor: Actor,
    id: number,
    input: { displayName?: string; unitId?: number; roles?: string[]; active?: boolean; phone?: string | null },
  ): Promise<UserWithRoles> {
    requirePermission(actor, 'admin.users');
    await this.db.transaction().execute(async (trx) => {
      const user = await this.users.find(id, trx);
      if (!user) throw new AppError('not_found', `User ${id} not found`);
      if (input.unitId !== undefined) {
        const unit = await this.org.find(input.unitId, trx);
        if (unit?.active !== 1) throw invalidField('unitId', 'does not exist or is inactive');
      }
      if (id === actor.userId && (input.active === false || (input.roles && !input.roles.includes('admin')))) {
        throw invalidField(input.active === false ? 'active' : 'roles', 'you cannot lock yourself out of administration');
      }
      await this.users.update(
        id,
        {
          ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
          ...(input.unitId !== undefined ? { unit_id: input.unitId } : {}),
          ...(input.phone !== undefined ? { phone: input.phone } : {}),
          ...(input.active !== undefined ? { active: input.active ? 1 : 0 } : {}),
        },
        trx,
      );
      if (input.roles) await this.users.setRoles(id, checkRoles(input.roles), trx);
      if (input.active === false) await this.users.deleteSessionsOf(id, null, trx);
    });
    return (await this.users.find(id)) as UserWithRoles;
  }

  /** Sets a new password (admin or CLI), unlocks the account and ends its sessions. */
  async resetPassword(actor: Actor | null, who: { id: number } | { username: string }, password: string): Promise<void> {
    if (actor) requirePermission(actor, 'admin.users');
    const user = 'id' in who ? await this.users.find(who.id) : await this.users.findByUsername(who.username);
    if (!user) throw new AppError('not_found', 'User not found');
    assertStrongPassword('password', password, user.username);
    await this.users.update(user.id, {
      password_hash: await hashPassword(password),
      must_change_password: actor ? 1 : 0,
      failed_logins: 0,
      locked_until: null,
      password_changed_at: iso(this.clock()),
    });
    await this.users.deleteSessionsOf(user.id, null);
    await this.users.clearLoginFailures(user.username, null);
  }

  /** Issues an API token for machine clients; the secret is returned once and stored only as a hash. */
  async createToken(actor: Actor, input: { name: string; roles: string[]; unitId: number }): Promise<{ id: number; token: string }> {
    requirePermission(actor, 'admin.tokens');
    const roles = checkRoles(input.roles);
    if (roles.includes('admin')) throw invalidField('roles', 'API tokens cannot hold the admin role');
    const unit = await this.org.find(input.unitId);
    if (!unit) throw invalidField('unitId', 'does not exist');
    const secret = `gv_${randomToken(24)}`;
    const id = await this.users.insertToken({
      name: input.name,
      tokenHash: sha256(secret),
      prefix: secret.slice(0, 7),
      roles,
      unitId: input.unitId,
      createdBy: actor.userId as number,
      at: iso(this.clock()),
    });
    return { id, token: secret };
  }

  /** Lists API tokens (admin), without secrets. */
  async listTokens(actor: Actor) {
    requirePermission(actor, 'admin.tokens');
    return (await this.users.listTokens()).map((t) => ({ ...t, roles: JSON.parse(t.roles) as string[] }));
  }

  /** Revokes an API token (admin). */
  async revokeToken(actor: Actor, id: number): Promise<void> {
    requirePermission(actor, 'admin.tokens');
    if ((await this.users.revokeToken(id, iso(this.clock()))) === 0) throw new AppError('not_found', `Token ${id} not found`);
  }
}
