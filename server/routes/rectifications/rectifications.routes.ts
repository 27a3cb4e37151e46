import multipart from '@fastify/multipart';
import { Type } from 'typebox';
import { RECTIFICATION_STATE_CODES } from '../../../core/rectification.ts';
import { FileBody } from '../../../core/schemas/common.schema.ts';
import {
  EffectChecked,
  EffectPreview,
  EvidenceAdded,
  RectificationDetail,
  RectificationList,
} from '../../../core/schemas/rectification.schema.ts';
import type { App } from '../../app.ts';
import { AppError, invalidField } from '../../errors.ts';
import { actorOf } from '../../http/auth.ts';
import { sendDownload } from '../../http/files.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Raise = Type.Object({
  unitId: Type.Integer({ minimum: 1 }),
  problem: Type.String({ minLength: 2, maxLength: 2000 }),
  measures: Type.String({ minLength: 2, maxLength: 4000 }),
  deadlineDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 120 })),
  effectMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 })),
  ticketIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 500 })),
  classCode: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  rootCause: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  sourceFilter: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])),
});
const Submit = Type.Object({ version: Type.Integer({ minimum: 1 }), response: Type.String({ minLength: 2, maxLength: 4000 }) });
const Verify = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  result: Type.Union([Type.Literal('pass'), Type.Literal('send_back')]),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
});
const ListQ = Type.Object({
  state: Type.Optional(Type.Union(RECTIFICATION_STATE_CODES.map((x) => Type.Literal(x)))),
  overdue: Type.Optional(Type.Boolean()),
});

/** Rectification orders 整改单: raise, list, detail, submit, verify, effect preview and check, evidence files. */
export async function rectificationRoutes(app: App): Promise<void> {
  await app.register(multipart, { limits: { fileSize: 20 * 1024 * 1024, files: 1, fields: 5 } });
  const s = app.services.rectifications;

  app.get(
    '/rectifications',
    { schema: { querystring: ListQ, response: { 200: RectificationList }, tags: ['rectifications'] } },
    async (req) => ({
      items: await s.list(actorOf(req), req.query),
    }),
  );

  app.post(
    '/rectifications',
    { schema: { body: Raise, response: { 201: RectificationDetail }, tags: ['rectifications'] } },
    async (req, reply) => {
      const actor = actorOf(req);
      const id = await s.raise(actor, req.body);
      return reply.status(201).send(await s.detail(actor, id));
    },
  );

  app.get(
    '/rectifications/:id',
    { schema: { params: Id, response: { 200: RectificationDetail }, tags: ['rectifications'] } },
    async (req) => s.detail(actorOf(req), req.params.id),
  );

  app.post(
    '/rectifications/:id/submit',
    { schema: { params: Id, body: Submit, response: { 200: RectificationDetail }, tags: ['rectifications'] } },
    async (req) => {
      const actor = actorOf(req);
      await s.submit(actor, req.params.id, req.body);
      return s.detail(actor, req.params.id);
    },
  );

  app.post(
    '/rectifications/:id/verify',
    { schema: { params: Id, body: Verify, response: { 200: RectificationDetail }, tags: ['rectifications'] } },
    async (req) => {
      const actor = actorOf(req);
      await s.verify(actor, req.params.id, req.body);
      return s.detail(actor, req.params.id);
    },
  );

  app.get(
    '/rectifications/:id/effect',
    { schema: { params: Id, response: { 200: EffectPreview }, tags: ['rectifications'] } },
    async (req) => ({
      effect: await s.effectPreview(actorOf(req), req.params.id),
    }),
  );

  app.post(
    '/rectifications/:id/effect-check',
    { schema: { params: Id, response: { 200: EffectChecked }, tags: ['rectifications'] } },
    async (req) => {
      const actor = actorOf(req);
      const result = await s.effectCheck(actor, req.params.id);
      return { result, ...(await s.detail(actor, req.params.id)) };
    },
  );

  app.post(
    '/rectifications/:id/evidence',
    { schema: { params: Id, response: { 201: EvidenceAdded }, tags: ['rectifications'] } },
    async (req, reply) => {
      const actor = actorOf(req);
      if (!req.isMultipart()) throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data (field "file")');
      const part = await req.file();
      if (!part) throw invalidField('file', 'is required');
      return reply
        .status(201)
        .send({ file: await s.addEvidence(actor, req.params.id, { name: part.filename, data: await part.toBuffer() }) });
    },
  );

  app.get(
    '/rectification-files/:id',
    { schema: { params: Id, response: { 200: FileBody('The evidence file, with its own media type') }, tags: ['rectifications'] } },
    async (req, reply) => {
      return sendDownload(reply, await s.evidenceFile(actorOf(req), req.params.id));
    },
  );
}
