import { type Static, Type } from 'typebox';
import { ROLES } from '../taxonomy.ts';
import { codesOf, IsoTime, Nullable } from './common.schema.ts';

/** The signed-in user as the UI sees them (`GET /auth/me`, `POST /auth/login`). */
export const Me = Type.Object({
  id: Nullable(Type.Integer()),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(codesOf(ROLES)),
  permissions: Type.Array(Type.String()),
  /** How much customer data the user sees: lookups by phone or account number only with `full`. */
  customerAccess: Type.Union([Type.Literal('full'), Type.Literal('masked'), Type.Literal('none')]),
  unitId: Type.Integer(),
  companyId: Nullable(Type.Integer()),
  /** Set when an administrator chose the password: it must change before anything else. */
  mustChangePassword: Type.Boolean(),
});
export type Me = Static<typeof Me>;

export const MeResponse = Type.Object({ user: Me });

/** One entry of the notification bell. */
export const Notification = Type.Object({
  id: Type.Integer(),
  ticketId: Nullable(Type.Integer()),
  kind: Type.String(),
  text: Type.String(),
  createdAt: IsoTime,
  read: Type.Boolean(),
});
export type Notification = Static<typeof Notification>;

/** `GET /notifications`: the newest first, with the unread count. */
export const NotificationList = Type.Object({ items: Type.Array(Notification), unread: Type.Integer() });
