import multipart from '@fastify/multipart';
import { Type } from 'typebox';
import { FileBody, Ok } from '../../../core/schemas/common.schema.ts';
import {
  ActionBody,
  AttachmentAdded,
  CustomerHistoryResponse,
  DeadlinePreviewResponse,
  DeadlinesResponse,
  IdentityRevealed,
  IntakeBody,
  IntakeResponse,
  ListQuery,
  QueueCountsResponse,
  TicketDetail,
  TicketListResponse,
} from '../../../core/schemas/ticket.schema.ts';
import { CHANNELS, KINDS } from '../../../core/taxonomy.ts';
import type { App } from '../../app.ts';
import { AppError, invalidField } from '../../errors.ts';
import { actorOf } from '../../http/auth.ts';
import { sendDownload } from '../../http/files.ts';
import { MAX_ATTACHMENT_BYTES } from '../../services/attachment.service.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const IdAction = Type.Object({ id: Type.Integer({ minimum: 1 }), action: Type.String({ maxLength: 32 }) });
const Reveal = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) });
const Link = Type.Object({ otherId: Type.Integer({ minimum: 1 }) });
const Preview = Type.Object({
  kind: Type.Union(KINDS.map((k) => Type.Literal(k.code))),
  channel: Type.Union(CHANNELS.map((c) => Type.Literal(c.code))),
  at: Type.String({ format: 'date-time' }),
});
const Lookup = Type.Object({
  phone: Type.Optional(Type.String({ maxLength: 20 })),
  account: Type.Optional(Type.String({ maxLength: 32 })),
});

/** Work orders: intake, lists, detail, actions, deadlines, identity, attachments, links. */
export async function ticketRoutes(app: App): Promise<void> {
  await app.register(multipart, { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 5 } });
  const s = app.services;

  app.post(
    '/tickets',
    { schema: { body: IntakeBody, response: { 200: IntakeResponse, 201: IntakeResponse }, tags: ['tickets'] } },
    async (req, reply) => {
      const key = req.headers['idempotency-key'];
      if (key !== undefined && (typeof key !== 'string' || key.length < 8 || key.length > 128))
        throw invalidField('Idempotency-Key', 'must be 8 to 128 characters');
      const actor = actorOf(req);
      const r = await s.intake.intake(actor, req.body, key ?? null);
      // A plain new order is answered from what intake wrote; anything with links or exclusions is read back.
      const detail = r.written ? await s.tickets.detailOfNew(actor, r.ticket, r.written.event) : await s.tickets.detail(actor, r.ticket.id);
      if (r.replayed) reply.header('Idempotent-Replayed', 'true');
      return reply.status(r.replayed ? 200 : 201).send({ ...detail, receiptCode: r.receiptCode });
    },
  );

  app.get('/tickets', { schema: { querystring: ListQuery, response: { 200: TicketListResponse }, tags: ['tickets'] } }, async (req) => {
    const q = req.query;
    const filter = await s.ticketFilters.of(q);
    return s.tickets.list(actorOf(req), filter, q.sort ?? 'due', q.limit ?? 50, q.cursor ?? null);
  });

  app.get('/tickets/queues', { schema: { response: { 200: QueueCountsResponse }, tags: ['tickets'] } }, async (req) => ({
    queues: await s.tickets.queues(actorOf(req)),
  }));

  app.get('/tickets/:id', { schema: { params: Id, response: { 200: TicketDetail }, tags: ['tickets'] } }, async (req) =>
    s.tickets.detail(actorOf(req), req.params.id),
  );

  app.get('/tickets/:id/deadlines', { schema: { params: Id, response: { 200: DeadlinesResponse }, tags: ['tickets'] } }, async (req) => ({
    deadlines: await s.tickets.deadlines(actorOf(req), req.params.id),
  }));

  app.post(
    '/tickets/:id/actions/:action',
    { schema: { params: IdAction, body: ActionBody, response: { 200: TicketDetail }, tags: ['tickets'] } },
    async (req) => {
      const actor = actorOf(req);
      await s.workflow.act(actor, req.params.id, req.params.action, req.body as Record<string, unknown>);
      return s.tickets.detail(actor, req.params.id);
    },
  );

  app.post(
    '/tickets/:id/reveal-identity',
    { schema: { params: Id, body: Reveal, response: { 200: IdentityRevealed }, tags: ['tickets'] } },
    async (req) => s.tickets.revealIdentity(actorOf(req), req.params.id, req.body.reason),
  );

  app.post('/tickets/:id/links', { schema: { params: Id, body: Link, response: { 201: Ok }, tags: ['tickets'] } }, async (req, reply) => {
    await s.workflow.link(actorOf(req), req.params.id, req.body.otherId);
    return reply.status(201).send({ ok: true });
  });

  app.post(
    '/tickets/:id/attachments',
    { schema: { params: Id, response: { 201: AttachmentAdded }, tags: ['tickets'] } },
    async (req, reply) => {
      const actor = actorOf(req);
      if (!req.isMultipart()) throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data (field "file")');
      const part = await req.file();
      if (!part) throw invalidField('file', 'is required');
      const data = await part.toBuffer();
      return reply.status(201).send({ attachment: await s.attachments.upload(actor, req.params.id, { name: part.filename, data }) });
    },
  );

  app.get(
    '/attachments/:id',
    { schema: { params: Id, response: { 200: FileBody('The attachment, with its own media type') }, tags: ['tickets'] } },
    async (req, reply) => {
      return sendDownload(reply, await s.attachments.download(actorOf(req), req.params.id));
    },
  );

  app.get(
    '/deadlines/preview',
    { schema: { querystring: Preview, response: { 200: DeadlinePreviewResponse }, tags: ['tickets'] } },
    async (req) => {
      actorOf(req);
      if (!/(Z|[+-]\d{2}:\d{2})$/.test(req.query.at)) throw invalidField('at', 'must carry a UTC offset, e.g. 2026-09-30T10:12:00+08:00');
      return s.tickets.preview(req.query.kind, req.query.channel, new Date(req.query.at));
    },
  );

  app.get(
    '/customers/lookup',
    { schema: { querystring: Lookup, response: { 200: CustomerHistoryResponse }, tags: ['tickets'] } },
    async (req) => s.tickets.customerHistory(actorOf(req), req.query),
  );
}
