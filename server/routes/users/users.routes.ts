import { Type } from 'typebox';
import { Ok } from '../../../core/schemas/common.schema.ts';
import { ApiTokenCreated, ApiTokenList, UserList, UserResponse } from '../../../core/schemas/org.schema.ts';
import type { App } from '../../app.ts';
import { actorOf } from '../../http/auth.ts';
import { userView } from '../../services/user.service.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Roles = Type.Array(Type.String({ maxLength: 32 }), { minItems: 1, maxItems: 8 });
const CreateUser = Type.Object({
  username: Type.String({ pattern: '^[a-zA-Z0-9_.-]{2,32}$' }),
  displayName: Type.String({ minLength: 1, maxLength: 64 }),
  unitId: Type.Integer({ minimum: 1 }),
  roles: Roles,
  password: Type.String({ minLength: 1, maxLength: 200 }),
  phone: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9+-]{5,20}$' }), Type.Null()])),
});
const UpdateUser = Type.Object({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  unitId: Type.Optional(Type.Integer({ minimum: 1 })),
  roles: Type.Optional(Roles),
  active: Type.Optional(Type.Boolean()),
  phone: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9+-]{5,20}$' }), Type.Null()])),
});
const ResetPassword = Type.Object({ password: Type.String({ minLength: 1, maxLength: 200 }) });
const CreateToken = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 64 }),
  roles: Roles,
  unitId: Type.Integer({ minimum: 1 }),
});

/** User administration and API tokens. */
export async function userRoutes(app: App): Promise<void> {
  const s = app.services.users;
  app.get('/users', { schema: { response: { 200: UserList }, tags: ['users'] } }, async (req) => ({
    items: (await s.list(actorOf(req))).map(userView),
  }));
  app.post('/users', { schema: { body: CreateUser, response: { 201: UserResponse }, tags: ['users'] } }, async (req, reply) => {
    const user = await s.create(actorOf(req), { ...req.body, mustChangePassword: true });
    return reply.status(201).send({ user: userView(user) });
  });
  app.patch('/users/:id', { schema: { params: Id, body: UpdateUser, response: { 200: UserResponse }, tags: ['users'] } }, async (req) => ({
    user: userView(await s.update(actorOf(req), req.params.id, req.body)),
  }));
  app.post('/users/:id/password', { schema: { params: Id, body: ResetPassword, response: { 200: Ok }, tags: ['users'] } }, async (req) => {
    await s.resetPassword(actorOf(req), { id: req.params.id }, req.body.password);
    return { ok: true };
  });
  app.get('/api-tokens', { schema: { response: { 200: ApiTokenList }, tags: ['users'] } }, async (req) => ({
    items: await s.listTokens(actorOf(req)),
  }));
  app.post('/api-tokens', { schema: { body: CreateToken, response: { 201: ApiTokenCreated }, tags: ['users'] } }, async (req, reply) => {
    return reply.status(201).send(await s.createToken(actorOf(req), req.body));
  });
  app.delete('/api-tokens/:id', { schema: { params: Id, response: { 200: Ok }, tags: ['users'] } }, async (req) => {
    await s.revokeToken(actorOf(req), req.params.id);
    return { ok: true };
  });
}
