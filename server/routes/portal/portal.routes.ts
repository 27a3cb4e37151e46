import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { PORTAL_LIMITS, type PortalKind, type PortalRating } from '../../../core/portal-words.ts';
import { Ok } from '../../../core/schemas/common.schema.ts';
import {
  PortalEvidence,
  PortalFiled,
  PortalMeta,
  PortalProgress,
  PortalSession,
  ReceiptCheck,
} from '../../../core/schemas/portal.schema.ts';
import type { App } from '../../app.ts';
import { cleanText } from '../../domain/text-hygiene.ts';
import { AppError } from '../../errors.ts';
import { secureCookies } from '../../http/proxy.ts';
import { registerRateLimit } from '../../http/rate-limit.ts';
import type { PortalFile, PortalSubmission } from '../../services/portal.service.ts';
import type { SignedReceipt } from '../../services/portal-receipt.ts';
import { portalErrorHandler } from './portal-errors.ts';

export const PORTAL_COOKIE = 'gv_portal';
const COOKIE_PATH = '/api/public/portal';

const Login = Type.Object({
  number: Type.Optional(Type.String({ maxLength: 32 })),
  queryCode: Type.Optional(Type.String({ maxLength: 32 })),
  receipt: Type.Optional(Type.String({ maxLength: 64 })),
  /** The one code field: the query code with a number, the receipt code without. */
  code: Type.Optional(Type.String({ maxLength: 64 })),
});
const Rating = Type.Object({
  outcome: Type.String({ maxLength: 20 }),
  comment: Type.Optional(Type.String({ maxLength: PORTAL_LIMITS.commentMax })),
});
const Answer = Type.Object({
  text: Type.String({ maxLength: PORTAL_LIMITS.answerMax }),
  questionSeq: Type.Optional(Type.Integer({ minimum: 1 })),
});
const Receipt = Type.Object({
  type: Type.String({ maxLength: 40 }),
  version: Type.Integer(),
  number: Type.String({ maxLength: 32 }),
  filedAt: Type.String({ maxLength: 40 }),
  contentHash: Type.String({ maxLength: 64 }),
  issuer: Type.String({ maxLength: 120 }),
  signatureAlgorithm: Type.String({ maxLength: 20 }),
  signature: Type.String({ maxLength: 128 }),
});

function str(v: unknown, max: number): string | null {
  if (v === undefined || v === null || v === '') return null;
  return String(v).slice(0, max);
}

/** Turns form fields or a JSON body into a submission; lengths are capped here, meaning is checked in the service. */
function toSubmission(f: Record<string, unknown>): PortalSubmission {
  return {
    kind: String(f.kind ?? '') as PortalKind,
    channel: f.channel === 'mobile' ? 'mobile' : 'web',
    anonymous: f.anonymous === true || f.anonymous === 'true' || f.anonymous === '1' || f.anonymous === 'on',
    classCode: str(f.classCode, 64),
    name: str(f.name, 64),
    phone: str(f.phone, 32)?.replace(/\s/g, '') ?? null,
    account: str(f.account, 32),
    email: str(f.email, 254),
    location: str(f.location, 400),
    description: String(f.description ?? '').slice(0, PORTAL_LIMITS.descriptionMax + 1),
    website: str(f.website, 200),
  };
}

async function readForm(req: FastifyRequest): Promise<{ fields: Record<string, unknown>; files: PortalFile[] }> {
  if (!req.isMultipart()) return { fields: (req.body ?? {}) as Record<string, unknown>, files: [] };
  const fields: Record<string, unknown> = {};
  const files: PortalFile[] = [];
  for await (const part of req.parts()) {
    if (part.type === 'file') files.push({ name: part.filename, data: await part.toBuffer() });
    // Form fields bypass the JSON edge cleaning (they are read here, after validation).
    else fields[cleanText(part.fieldname)] = typeof part.value === 'string' ? cleanText(part.value) : part.value;
  }
  return { fields, files };
}

function idempotencyKey(req: FastifyRequest): string | null {
  const key = req.headers['idempotency-key'];
  if (key === undefined) return null;
  if (typeof key !== 'string' || key.length < 16 || key.length > 128)
    throw new AppError('validation_failed', '提交编号不正确，请刷新页面后重试', { field: 'Idempotency-Key' });
  return key;
}

/** The public portal API (no account): file, log in with number + query code or receipt, track, answer, rate. */
export async function portalRoutes(app: App): Promise<void> {
  const s = app.services.portal;
  const limits = app.services.config.channels.portal;
  app.setErrorHandler(portalErrorHandler);
  await registerRateLimit(app, {
    errorResponseBuilder: (_req, ctx) =>
      new AppError('rate_limited', `操作过于频繁，请${Math.ceil(ctx.ttl / 60_000)}分钟后再试；如需急办请拨打95598`, {
        retryAfterSeconds: Math.ceil(ctx.ttl / 1000),
      }),
  });
  await app.register(multipart, {
    limits: { files: PORTAL_LIMITS.maxPhotos, fileSize: PORTAL_LIMITS.maxPhotoBytes, fields: 20, fieldSize: 16 * 1024, parts: 30 },
  });

  const tokenOf = (req: FastifyRequest) => {
    const header = req.headers['x-portal-session'];
    return typeof header === 'string' ? header : req.cookies[PORTAL_COOKIE];
  };
  const session = (req: FastifyRequest) => s.session(tokenOf(req));

  app.get('/meta', { schema: { response: { 200: PortalMeta }, tags: ['portal'] } }, async () => s.meta());

  app.post(
    '/submissions',
    {
      bodyLimit: 64 * 1024,
      config: { rateLimit: { max: limits.ipPerHour, timeWindow: '1 hour' } },
      schema: { response: { 200: PortalFiled, 201: PortalFiled }, tags: ['portal'] },
    },
    async (req, reply) => {
      const { fields, files } = await readForm(req);
      const r = await s.submit(toSubmission(fields), files, idempotencyKey(req));
      if (r.replayed) reply.header('Idempotent-Replayed', 'true');
      return reply.status(r.replayed ? 200 : 201).send(r);
    },
  );

  app.post(
    '/session',
    {
      config: { rateLimit: { max: 20, timeWindow: '10 minutes' } },
      schema: { body: Login, response: { 200: PortalSession }, tags: ['portal'] },
    },
    async (req, reply) => {
      const { token, ticket, maxAgeSeconds } = await s.login(req.body);
      reply.setCookie(PORTAL_COOKIE, token, {
        path: COOKIE_PATH,
        httpOnly: true,
        sameSite: 'strict',
        secure: secureCookies(req, app.services.config.deploy),
        maxAge: maxAgeSeconds,
      });
      return { token, expiresInSeconds: maxAgeSeconds, progress: await s.progress(ticket) };
    },
  );

  app.delete('/session', { schema: { response: { 200: Ok }, tags: ['portal'] } }, async (req, reply) => {
    await s.logout(tokenOf(req));
    reply.clearCookie(PORTAL_COOKIE, { path: COOKIE_PATH });
    return { ok: true };
  });

  app.get('/me', { schema: { response: { 200: PortalProgress }, tags: ['portal'] } }, async (req) => s.progress(await session(req)));

  app.post(
    '/me/rating',
    {
      config: { rateLimit: { max: 10, timeWindow: '10 minutes' } },
      schema: { body: Rating, response: { 200: PortalProgress }, tags: ['portal'] },
    },
    async (req) => s.rate(await session(req), req.body.outcome as PortalRating, req.body.comment?.trim() || null),
  );

  app.post(
    '/me/answers',
    {
      config: { rateLimit: { max: 30, timeWindow: '10 minutes' } },
      schema: { body: Answer, response: { 200: PortalProgress }, tags: ['portal'] },
    },
    async (req) => s.answer(await session(req), req.body.text, req.body.questionSeq ?? null),
  );

  app.post(
    '/me/evidence',
    { config: { rateLimit: { max: 20, timeWindow: '10 minutes' } }, schema: { response: { 201: PortalEvidence }, tags: ['portal'] } },
    async (req, reply) => {
      const t = await session(req);
      if (!req.isMultipart()) throw new AppError('unsupported_media_type', '请以表单方式上传照片');
      const { files } = await readForm(req);
      if (files.length === 0) throw new AppError('validation_failed', '请选择要上传的照片', { field: 'photos' });
      const out = [];
      for (const f of files) out.push(await s.addEvidence(t, f));
      return reply.status(201).send({ attachments: out, progress: await s.progress(await session(req)) });
    },
  );

  app.post(
    '/receipts/verify',
    {
      config: { rateLimit: { max: 60, timeWindow: '10 minutes' } },
      schema: { body: Receipt, response: { 200: ReceiptCheck }, tags: ['portal'] },
    },
    async (req) => s.verifyReceipt(req.body as SignedReceipt),
  );
}
