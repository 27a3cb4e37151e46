import type { Role } from '../../core/taxonomy.ts';
import type { Actor } from '../../server/services/actor.ts';
import type { Services } from '../../server/services/index.ts';

/** A demo user as the services see them after login. */
export async function actorFor(s: Services, username: string): Promise<Actor> {
  const u = await s.repos.users.findByUsername(username);
  if (!u) throw new Error(`demo user ${username} missing`);
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
    sessionIdHash: null,
  };
}
