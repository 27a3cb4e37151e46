import { hash, verify } from '@node-rs/argon2';
import type { Role } from '../../core/taxonomy.ts';
import type { Config } from '../config.ts';
import { AppError, invalidField } from '../errors.ts';
import { randomToken, sha256 } from '../lib/crypto.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { UserRepository, UserWithRoles } from '../repositories/user.repository.ts';
import type { Actor } from './actor.ts';

const MAX_FAILED_LOGINS = 5;
const LOCK_MINUTES = 15;
export const MIN_PASSWORD_LENGTH = 8;

/** argon2id with OWASP's minimum parameters (19 MiB, t=2, p=1). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

// Verified against when the username is unknown, so that both paths cost the same.
const DUMMY_HASH = hashPassword('not-a-real-password');

/** Checks a new password against the policy; returns the problem or null. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must have at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > 200) return 'must have at most 200 characters';
  if (password.toLowerCase() === username.toLowerCase()) return 'must differ from the username';
  return null;
}

function toActor(u: UserWithRoles, sessionIdHash: string | null): Actor {
  return {
    kind: 'user',
    userId: u.id,
    tokenId: null,
    username: u.username,
    displayName: u.display_name,
    roles: u.roles as Role[],
    unitId: u.unit_id,
    unitPath: u.unit_path,
    companyId: u.company_id,
    companyPath: u.company_path,
    sessionIdHash,
  };
}

/** Login, sessions, API tokens and password changes. */
export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly config: Config,
    private readonly clock: Clock,
  ) {}

  /** Verifies the password (with per-account lock-out) and opens a session; returns the cookie value. */
  async login(
    username: string,
    password: string,
    meta: { ip: string | null; userAgent: string | null },
  ): Promise<{ token: string; actor: Actor }> {
    const now = this.clock();
    const user = await this.users.findByUsername(username);
    if (!user?.active) {
      await verify(await DUMMY_HASH, password).catch(() => false);
      throw new AppError('invalid_credentials');
    }
    if (user.locked_until && user.locked_until > iso(now)) {
      throw new AppError('account_locked', `Too many failed logins; try again after ${user.locked_until}`, {
        lockedUntil: user.locked_until,
      });
    }
    if (!(await verify(user.password_hash, password))) {
      const failed = user.failed_logins + 1;
      const lock = failed >= MAX_FAILED_LOGINS;
      await this.users.update(user.id, {
        failed_logins: lock ? 0 : failed,
        locked_until: lock ? iso(new Date(now.getTime() + LOCK_MINUTES * 60_000)) : null,
      });
      if (lock) throw new AppError('account_locked', `Too many failed logins; the account is locked for ${LOCK_MINUTES} minutes`);
      // Same answer as for an unknown user: the response must not tell whether the account exists.
      throw new AppError('invalid_credentials');
    }
    await this.users.update(user.id, { failed_logins: 0, locked_until: null });
    const token = randomToken();
    const idHash = sha256(token);
    await this.users.insertSession({ idHash, userId: user.id, at: iso(now), ip: meta.ip, userAgent: meta.userAgent });
    return { token, actor: toActor(user, idHash) };
  }

  /** Resolves a session cookie to its actor, enforcing idle and absolute expiry; null when invalid. */
  async fromSession(token: string): Promise<Actor | null> {
    const now = this.clock();
    const idHash = sha256(token);
    const session = await this.users.findSession(idHash);
    if (!session) return null;
    const idleLimit = now.getTime() - this.config.sessionIdleMinutes * 60_000;
    const absoluteLimit = now.getTime() - this.config.sessionAbsoluteHours * 3_600_000;
    if (Date.parse(session.last_seen_at) < idleLimit || Date.parse(session.created_at) < absoluteLimit) {
      await this.users.deleteSession(idHash);
      return null;
    }
    const user = await this.users.find(session.user_id);
    if (!user?.active) return null;
    // Write at most once a minute: the idle window is minutes, and every write costs on a busy server.
    if (now.getTime() - Date.parse(session.last_seen_at) > 60_000) await this.users.touchSession(idHash, iso(now));
    return toActor(user, idHash);
  }

  /** Resolves an `Authorization: Bearer` API token; null when unknown or revoked. */
  async fromToken(token: string): Promise<Actor | null> {
    const row = await this.users.findToken(sha256(token));
    if (!row) return null;
    const now = this.clock();
    if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > 60_000) await this.users.touchToken(row.id, iso(now));
    return {
      kind: 'token',
      userId: null,
      tokenId: row.id,
      username: `token:${row.name}`,
      displayName: row.name,
      roles: JSON.parse(row.roles) as Role[],
      unitId: row.unit_id,
      unitPath: row.unit_path,
      companyId: row.company_id,
      companyPath: row.company_path,
      sessionIdHash: null,
    };
  }

  /** The actor of a user acting without a session (the seeder, benchmarks, the CLI). */
  async actorFor(username: string): Promise<Actor> {
    const u = await this.users.findByUsername(username);
    if (!u) throw new Error(`user ${username} missing`);
    return toActor(u, null);
  }

  /** Ends the actor's session. */
  async logout(actor: Actor): Promise<void> {
    if (actor.sessionIdHash) await this.users.deleteSession(actor.sessionIdHash);
  }

  /** Changes the actor's own password after checking the current one; other sessions end. */
  async changePassword(actor: Actor, current: string, next: string): Promise<void> {
    if (actor.userId === null) throw new AppError('forbidden', 'API tokens have no password');
    const user = await this.users.find(actor.userId);
    if (!user) throw new AppError('unauthenticated');
    if (!(await verify(user.password_hash, current))) throw invalidField('currentPassword', 'is wrong');
    const problem = passwordProblem(next, user.username);
    if (problem) throw invalidField('newPassword', problem);
    if (current === next) throw invalidField('newPassword', 'must differ from the current password');
    await this.users.update(user.id, {
      password_hash: await hashPassword(next),
      must_change_password: 0,
      password_changed_at: iso(this.clock()),
    });
    await this.users.deleteSessionsOf(user.id, actor.sessionIdHash);
  }
}
