import { type Static, Type } from 'typebox';
import { ROLES } from '../taxonomy.ts';
import { codesOf, IsoTime, Nullable } from './common.schema.ts';

/** A unit of the organisation tree: company, department or 供电所 station. */
export const OrgUnit = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('company'), Type.Literal('department'), Type.Literal('station')]),
  parentId: Nullable(Type.Integer()),
  /** Materialised path of ids, `/1/4/`. */
  path: Type.String(),
  companyId: Nullable(Type.Integer()),
  areaType: Type.Union([Type.Literal('urban'), Type.Literal('rural')]),
  customerCount: Nullable(Type.Integer()),
  active: Type.Boolean(),
});
export type OrgUnit = Static<typeof OrgUnit>;

export const OrgUnitList = Type.Object({ items: Type.Array(OrgUnit) });
export const OrgUnitResponse = Type.Object({ unit: OrgUnit });

/** A staff account as the admin page shows it. */
export const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  unitId: Type.Integer(),
  unitName: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  roles: Type.Array(codesOf(ROLES)),
  active: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  lockedUntil: Nullable(IsoTime),
});
export type User = Static<typeof User>;

export const UserList = Type.Object({ items: Type.Array(User) });
export const UserResponse = Type.Object({ user: User });

/** An API token for machine clients, without its secret. */
export const ApiToken = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  prefix: Type.String(),
  roles: Type.Array(Type.String()),
  unit_id: Type.Integer(),
  created_by: Nullable(Type.Integer()),
  created_at: IsoTime,
  last_used_at: Nullable(IsoTime),
  revoked_at: Nullable(IsoTime),
});
export type ApiToken = Static<typeof ApiToken>;

export const ApiTokenList = Type.Object({ items: Type.Array(ApiToken) });
/** The new token: its secret is shown this once and stored only as a hash. */
export const ApiTokenCreated = Type.Object({ id: Type.Integer(), token: Type.String() });
