import { hash, verify } from '@node-rs/argon2';
import type { Role } from '../../core/taxonomy.ts';
import type { Config } from '../config.ts';
import { AppError, invalidField } from '../errors.ts';
import { randomToken, sha256 } from '../lib/crypto.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { UserRepository, UserWithRoles } from '../repositories/user.repository.ts';
import type { Actor } from './actor.ts';
import { assertStrongPassword } from './password-policy.ts';

/**
 * Lock-out policy, per account name and client address: five attempts in a quarter of an hour, then a lock
 * of fifteen minutes that doubles with each lock in a row, up to a day. Counting per address means nobody
 * can lock an account from elsewhere; the per-address request limit bounds guessing across accounts.
 */
export const LOGIN_POLICY = {
  maxAttempts: 5,
  windowMinutes: 15,
  firstLockMinutes: 15,
  maxLockMinutes: 24 * 60,
  /** A pair with no failure for this long starts again from the first lock. */
  forgetLocksAfterMinutes: 24 * 60,
} as const;

/** How long the pair's next lock lasts, after `locks` earlier ones. */
export function lockMinutes(locks: number): number {
  return Math.min(LOGIN_POLICY.firstLockMinutes * 2 ** Math.min(locks, 20), LOGIN_POLICY.maxLockMinutes);
}

/** argon2id with OWASP's minimum parameters (19 MiB, t=2, p=1). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

// Verified against when the username is unknown, so that both paths cost the same.
const DUMMY_HASH = hashPassword('not-a-real-password');

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
    unitName: u.unit_name,
    companyId: u.company_id,
    companyPath: u.company_path,
    sessionIdHash,
    mustChangePassword: u.must_change_password === 1,
  };
}

/** Login, sessions, API tokens and password changes. */
export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly config: Config,
    private readonly clock: Clock,
  ) {}

  /**
   * Verifies the password and opens a session; returns the cookie value. Attempts are counted per name and
   * client address before the password is checked, so parallel guesses cannot outrun the lock-out, and an
   * unknown or inactive name costs and answers exactly like a wrong password.
   */
  async login(
    username: string,
    password: string,
    meta: { ip: string | null; userAgent: string | null },
  ): Promise<{ token: string; actor: Actor }> {
    const now = this.clock();
    const source = meta.ip ?? 'unknown';
    const minutesAgo = (m: number) => iso(new Date(now.getTime() - m * 60_000));
    const claim = await this.users.claimLoginAttempt(username, source, {
      now: iso(now),
      max: LOGIN_POLICY.maxAttempts,
      windowStart: minutesAgo(LOGIN_POLICY.windowMinutes),
      forgetLocksBefore: minutesAgo(LOGIN_POLICY.forgetLocksAfterMinutes),
    });
    if (!claim) throw locked(await this.users.loginLockedUntil(username, source), now);
    const user = await this.users.findByUsername(username);
    const ok = user?.active ? await verify(user.password_hash, password) : await verify(await DUMMY_HASH, password).catch(() => false);
    if (!user?.active || !ok) {
      if (claim.failures >= LOGIN_POLICY.maxAttempts) {
        const until = iso(new Date(now.getTime() + lockMinutes(claim.locks) * 60_000));
        if (await this.users.lockLogin(username, source, LOGIN_POLICY.maxAttempts, until)) {
          // Shown to administrators in the user list; the lock itself holds only for this address.
          if (user) await this.users.update(user.id, { locked_until: until });
        }
        throw locked(until, now);
      }
      throw new AppError('invalid_credentials');
    }
    await this.users.clearLoginFailures(username, source);
    if (user.locked_until) await this.users.update(user.id, { failed_logins: 0, locked_until: null });
    const token = randomToken();
    const idHash = sha256(token);
    await this.users.insertSession({ idHash, userId: user.id, at: iso(now), ip: meta.ip, userAgent: meta.userAgent });
    return { token, actor: toActor(user, idHash) };
  }

  /** Resolves a session cookie to its actor, enforcing idle and absolute expiry; null when invalid. */
  async fromSession(token: string): Promise<Actor | null> {
    const now = this.clock();
    const idHash = sha256(token);
    const found = await this.users.findSessionWithUser(idHash);
    if (!found) return null;
    const { session, user } = found;
    const idleLimit = now.getTime() - this.config.sessionIdleMinutes * 60_000;
    const absoluteLimit = now.getTime() - this.config.sessionAbsoluteHours * 3_600_000;
    if (Date.parse(session.last_seen_at) < idleLimit || Date.parse(session.created_at) < absoluteLimit) {
      await this.users.deleteSession(idHash);
      return null;
    }
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
    assertStrongPassword('newPassword', next, user.username);
    if (current === next) throw invalidField('newPassword', 'must differ from the current password');
    await this.users.update(user.id, {
      password_hash: await hashPassword(next),
      must_change_password: 0,
      password_changed_at: iso(this.clock()),
    });
    await this.users.deleteSessionsOf(user.id, actor.sessionIdHash);
  }
}

/** 423 for a name and address that used up their attempts; says until when when the lock is set. */
function locked(until: string | null, now: Date): AppError {
  if (!until || until <= iso(now)) return new AppError('account_locked', 'Too many failed logins; try again in a few minutes');
  const minutes = Math.ceil((Date.parse(until) - now.getTime()) / 60_000);
  return new AppError('account_locked', `Too many failed logins; locked for ${minutes} minutes, until ${until}`, {
    lockedUntil: until,
    retryAfterSeconds: Math.ceil((Date.parse(until) - now.getTime()) / 1000),
  });
}
