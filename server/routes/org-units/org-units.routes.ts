import { Type } from 'typebox';
import { Ok } from '../../../core/schemas/common.schema.ts';
import { OrgUnitList, OrgUnitResponse } from '../../../core/schemas/org.schema.ts';
import type { App } from '../../app.ts';
import { actorOf } from '../../http/auth.ts';
import { orgUnitView } from '../../services/org.service.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Kind = Type.Union([Type.Literal('company'), Type.Literal('department'), Type.Literal('station')]);
const Area = Type.Union([Type.Literal('urban'), Type.Literal('rural')]);
const CreateUnit = Type.Object({
  code: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,32}$' }),
  name: Type.String({ minLength: 1, maxLength: 64 }),
  kind: Kind,
  parentId: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  areaType: Area,
  customerCount: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
});
const UpdateUnit = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  areaType: Type.Optional(Area),
  customerCount: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
  active: Type.Optional(Type.Boolean()),
  parentId: Type.Optional(Type.Integer({ minimum: 1 })),
});

/** The organisation tree. */
export async function orgRoutes(app: App): Promise<void> {
  const s = app.services.org;
  app.get('/', { schema: { response: { 200: OrgUnitList }, tags: ['org'] } }, async (req) => {
    actorOf(req);
    return { items: (await s.list()).map(orgUnitView) };
  });
  app.get('/:id', { schema: { params: Id, response: { 200: OrgUnitResponse }, tags: ['org'] } }, async (req) => {
    actorOf(req);
    return { unit: orgUnitView(await s.get(req.params.id)) };
  });
  app.post('/', { schema: { body: CreateUnit, response: { 201: OrgUnitResponse }, tags: ['org'] } }, async (req, reply) => {
    return reply.status(201).send({ unit: orgUnitView(await s.create(actorOf(req), req.body)) });
  });
  app.patch('/:id', { schema: { params: Id, body: UpdateUnit, response: { 200: OrgUnitResponse }, tags: ['org'] } }, async (req) => ({
    unit: orgUnitView(await s.update(actorOf(req), req.params.id, req.body)),
  }));
  app.delete('/:id', { schema: { params: Id, response: { 200: Ok }, tags: ['org'] } }, async (req) => {
    await s.delete(actorOf(req), req.params.id);
    return { ok: true };
  });
}
