import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Database, SessionTable, User } from '../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** How long a session read is remembered (see findSessionWithUser). */
const SESSION_CACHE_MS = 2_000;
const SESSION_CACHE_SIZE = 10_000;

/** A session row and its user (null when the user row is gone). */
export interface SessionWithUser {
  session: Selectable<SessionTable>;
  user: UserWithRoles | null;
}

export interface UserWithRoles extends User {
  roles: string[];
  unit_path: string;
  unit_name: string;
  company_id: number | null;
  company_path: string | null;
}

/** Accounts, their roles, sessions and API tokens. */
export class UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Bumped by every write of users, roles and sessions through this repository: older cached reads are dropped. */
  private generation = 0;
  private readonly sessionCache = new Map<string, { at: number; generation: number; found: SessionWithUser | null }>();

  private changed(): void {
    this.generation++;
    this.sessionCache.clear();
  }

  /**
   * A session and its user (with roles and unit paths), remembered for SESSION_CACHE_MS: every request of a
   * logged-in user reads them, and four keyed look-ups cost more than the rest of a short request. A write through
   * this repository (logout, password, roles, deactivation, the idle-expiry touch) drops what is remembered at
   * once; a write on another app node is seen within SESSION_CACHE_MS.
   */
  async findSessionWithUser(idHash: string): Promise<SessionWithUser | null> {
    const now = performance.now();
    const hit = this.sessionCache.get(idHash);
    if (hit && hit.generation === this.generation && now - hit.at < SESSION_CACHE_MS) return hit.found;
    const generation = this.generation;
    const session = await this.findSession(idHash);
    const user = session ? await this.find(session.user_id) : undefined;
    const found = session ? { session, user: user ?? null } : null;
    // Only what was read with no write in between; a bounded map, emptied when full.
    if (generation === this.generation) {
      if (this.sessionCache.size >= SESSION_CACHE_SIZE) this.sessionCache.clear();
      this.sessionCache.set(idHash, { at: now, generation, found });
    }
    return found;
  }

  private base(q: Q) {
    return q
      .selectFrom('users')
      .innerJoin('org_units as u', 'u.id', 'users.unit_id')
      .leftJoin('org_units as c', 'c.id', 'u.company_id')
      .selectAll('users')
      .select(['u.path as unit_path', 'u.name as unit_name', 'u.company_id as company_id', 'c.path as company_path']);
  }

  private async withRoles(rows: Omit<UserWithRoles, 'roles'>[], q: Q): Promise<UserWithRoles[]> {
    if (rows.length === 0) return [];
    const roles = await q
      .selectFrom('user_roles')
      .select(['user_id', 'role'])
      .where(
        'user_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('role')
      .execute();
    return rows.map((r) => ({ ...r, roles: roles.filter((x) => x.user_id === r.id).map((x) => x.role) }));
  }

  /** One user with roles and unit paths, by id. */
  async find(id: number, q: Q = this.db): Promise<UserWithRoles | undefined> {
    const row = await this.base(q).where('users.id', '=', id).executeTakeFirst();
    return row ? (await this.withRoles([row], q))[0] : undefined;
  }

  /** One user with roles and unit paths, by username. */
  async findByUsername(username: string, q: Q = this.db): Promise<UserWithRoles | undefined> {
    const row = await this.base(q).where('users.username', '=', username).executeTakeFirst();
    return row ? (await this.withRoles([row], q))[0] : undefined;
  }

  /** Users, optionally only those of one unit subtree, ordered by username. */
  async list(opts: { unitPath?: string; role?: string } = {}, q: Q = this.db): Promise<UserWithRoles[]> {
    let query = this.base(q).orderBy('users.username');
    if (opts.unitPath) query = query.where('u.path', 'like', `${opts.unitPath}%`);
    if (opts.role) {
      const role = opts.role;
      query = query.where((eb) =>
        eb.exists(eb.selectFrom('user_roles as r').select('r.user_id').whereRef('r.user_id', '=', 'users.id').where('r.role', '=', role)),
      );
    }
    return this.withRoles(await query.execute(), q);
  }

  /** Inserts a user with roles; returns the id. */
  async insert(
    u: {
      username: string;
      displayName: string;
      unitId: number;
      phone: string | null;
      passwordHash: string;
      mustChange: boolean;
      at: string;
    },
    roles: readonly string[],
    q: Q,
  ): Promise<number> {
    const row = await q
      .insertInto('users')
      .values({
        username: u.username,
        display_name: u.displayName,
        unit_id: u.unitId,
        phone: u.phone,
        password_hash: u.passwordHash,
        active: 1,
        must_change_password: u.mustChange ? 1 : 0,
        failed_logins: 0,
        locked_until: null,
        created_at: u.at,
        password_changed_at: u.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.setRoles(row.id, roles, q);
    return row.id;
  }

  /** Replaces the user's roles. */
  async setRoles(userId: number, roles: readonly string[], q: Q): Promise<void> {
    this.changed();
    await q.deleteFrom('user_roles').where('user_id', '=', userId).execute();
    if (roles.length > 0)
      await q
        .insertInto('user_roles')
        .values(roles.map((role) => ({ user_id: userId, role })))
        .execute();
  }

  /** Updates account columns. */
  async update(id: number, set: Partial<Omit<User, 'id'>>, q: Q = this.db): Promise<void> {
    this.changed();
    if (Object.keys(set).length === 0) return; // `update … set where` is a syntax error (a roles-only PATCH)
    await q.updateTable('users').set(set).where('id', '=', id).execute();
  }

  /** Stores a new session (by the hash of its cookie value). */
  async insertSession(
    s: { idHash: string; userId: number; at: string; ip: string | null; userAgent: string | null },
    q: Q = this.db,
  ): Promise<void> {
    await q
      .insertInto('sessions')
      .values({ id_hash: s.idHash, user_id: s.userId, created_at: s.at, last_seen_at: s.at, ip: s.ip, user_agent: s.userAgent })
      .execute();
  }

  /** A session by the hash of its cookie value. */
  findSession(idHash: string, q: Q = this.db) {
    return q.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  }

  /** Records activity on a session (sliding idle expiry). */
  async touchSession(idHash: string, at: string, q: Q = this.db): Promise<void> {
    this.changed();
    await q.updateTable('sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
  }

  /** Ends one session. */
  async deleteSession(idHash: string, q: Q = this.db): Promise<void> {
    this.changed();
    await q.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  /** Ends every session of a user, optionally keeping one. */
  async deleteSessionsOf(userId: number, keepIdHash: string | null, q: Q = this.db): Promise<void> {
    this.changed();
    let query = q.deleteFrom('sessions').where('user_id', '=', userId);
    if (keepIdHash) query = query.where('id_hash', '!=', keepIdHash);
    await query.execute();
  }

  /** Inserts an API token (hash only). */
  async insertToken(
    t: { name: string; tokenHash: string; prefix: string; roles: readonly string[]; unitId: number; createdBy: number; at: string },
    q: Q = this.db,
  ): Promise<number> {
    const row = await q
      .insertInto('api_tokens')
      .values({
        name: t.name,
        token_hash: t.tokenHash,
        prefix: t.prefix,
        roles: JSON.stringify(t.roles),
        unit_id: t.unitId,
        created_by: t.createdBy,
        created_at: t.at,
        last_used_at: null,
        revoked_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** An unrevoked token by hash, with its unit's paths. */
  findToken(tokenHash: string, q: Q = this.db) {
    return q
      .selectFrom('api_tokens as t')
      .innerJoin('org_units as u', 'u.id', 't.unit_id')
      .leftJoin('org_units as c', 'c.id', 'u.company_id')
      .selectAll('t')
      .select(['u.path as unit_path', 'u.company_id as company_id', 'c.path as company_path'])
      .where('t.token_hash', '=', tokenHash)
      .where('t.revoked_at', 'is', null)
      .executeTakeFirst();
  }

  /** All tokens, newest first (never the secret). */
  listTokens(q: Q = this.db) {
    return q
      .selectFrom('api_tokens')
      .select(['id', 'name', 'prefix', 'roles', 'unit_id', 'created_by', 'created_at', 'last_used_at', 'revoked_at'])
      .orderBy('id', 'desc')
      .execute();
  }

  /** Marks a token revoked. */
  async revokeToken(id: number, at: string, q: Q = this.db): Promise<number> {
    const r = await q
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Notes that a token was used. */
  async touchToken(id: number, at: string, q: Q = this.db): Promise<void> {
    await q.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  /**
   * Counts one login attempt of the name from the source, in one statement so that parallel guesses are
   * counted one by one: refused (undefined) while the pair is locked or already has `max` attempts in the
   * window, checks still running included. Failures older than `windowStart` are forgotten, and so are
   * earlier locks after `forgetLocksBefore`.
   */
  async claimLoginAttempt(
    username: string,
    source: string,
    p: { now: string; max: number; windowStart: string; forgetLocksBefore: string },
    q: Q = this.db,
  ): Promise<{ failures: number; locks: number } | undefined> {
    return q
      .insertInto('login_throttle')
      .values({ username, source, failures: 1, locks: 0, locked_until: null, last_failure_at: p.now })
      .onConflict((oc) =>
        oc
          .columns(['username', 'source'])
          .doUpdateSet({
            failures: sql<number>`case when login_throttle.last_failure_at < ${p.windowStart} then 1 else login_throttle.failures + 1 end`,
            locks: sql<number>`case when login_throttle.last_failure_at < ${p.forgetLocksBefore} then 0 else login_throttle.locks end`,
            locked_until: null,
            last_failure_at: p.now,
          })
          .where(
            sql<boolean>`(login_throttle.locked_until is null or login_throttle.locked_until <= ${p.now})
              and (login_throttle.failures < ${p.max} or login_throttle.last_failure_at < ${p.windowStart})`,
          ),
      )
      .returning(['failures', 'locks'])
      .executeTakeFirst();
  }

  /** Locks the pair once its attempts are used up; of parallel failures only the first one locks. */
  async lockLogin(username: string, source: string, max: number, until: string, q: Q = this.db): Promise<boolean> {
    const r = await q
      .updateTable('login_throttle')
      .set((eb) => ({ locked_until: until, locks: eb('locks', '+', 1), failures: 0 }))
      .where('username', '=', username)
      .where('source', '=', source)
      .where('failures', '>=', max)
      .where('locked_until', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** When the pair's lock ends, if it is locked. */
  async loginLockedUntil(username: string, source: string, q: Q = this.db): Promise<string | null> {
    const row = await q
      .selectFrom('login_throttle')
      .select('locked_until')
      .where('username', '=', username)
      .where('source', '=', source)
      .executeTakeFirst();
    return row?.locked_until ?? null;
  }

  /** Forgets the failed logins of the name, from one source or (admin reset) from all. */
  async clearLoginFailures(username: string, source: string | null, q: Q = this.db): Promise<void> {
    let query = q.deleteFrom('login_throttle').where('username', '=', username);
    if (source !== null) query = query.where('source', '=', source);
    await query.execute();
  }
}
