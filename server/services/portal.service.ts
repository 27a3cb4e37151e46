import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { Kysely } from 'kysely';
import { isValidPhone, normalisePhone, PHONE_RULE } from '../../core/phone.ts';
import {
  PORTAL_CLASS_WORDS,
  PORTAL_EVENT_TEXT,
  PORTAL_KINDS,
  PORTAL_LIMITS,
  PORTAL_RATINGS,
  PORTAL_STATUS_TEXT,
  type PortalKind,
  type PortalRating,
  portalStatus,
} from '../../core/portal-words.ts';
import { classFitsKind, KINDS, label } from '../../core/taxonomy.ts';
import { ACTIONS, STATES, type StateCode } from '../../core/workflow/index.ts';
import type { ChannelsConfig } from '../config-channels.ts';
import type { Database, OrgUnit, Ticket } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { deriveKey, randomCode, randomToken, sha256 } from '../lib/crypto.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { PortalRepository } from '../repositories/portal.repository.ts';
import type { TicketRepository } from '../repositories/ticket.repository.ts';
import { type Actor, requirePermission } from './actor.ts';
import type { AttachmentService } from './attachment.service.ts';
import { applyWithEvent } from './event-writer.ts';
import type { IntakeInput, IntakeService } from './intake.service.ts';
import type { OutboxService } from './outbox.service.ts';
import { receiptSignatureValid, type SignedReceipt, signReceipt } from './portal-receipt.ts';
import type { ReferenceService } from './reference.service.ts';
import type { TicketHooks } from './ticket-hooks.ts';
import type { TicketQueryService } from './ticket-query.service.ts';
import type { WorkflowService } from './workflow.service.ts';

/** What a customer fills in on the portal. */
export interface PortalSubmission {
  kind: PortalKind;
  channel?: 'web' | 'mobile';
  anonymous?: boolean;
  classCode?: string | null;
  name?: string | null;
  phone?: string | null;
  account?: string | null;
  email?: string | null;
  location?: string | null;
  description: string;
  /** The honeypot: hidden from people, filled by bots. */
  website?: string | null;
}

export interface PortalFile {
  name: string;
  data: Buffer;
}

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic']);
const SESSION_MINUTES = 30;
/** Query codes: 8 characters without look-alikes (0/O, 1/I/L), shown as XXXX-XXXX. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function bad(field: string, message: string): AppError {
  return new AppError('validation_failed', message, { field });
}

function newQueryCode(): string {
  let out = '';
  for (const b of randomBytes(8)) out += CODE_ALPHABET[b % CODE_ALPHABET.length];
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}

function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/;

/**
 * The public portal: customers file without an account through a portal actor of the
 * company (channel web/mobile), get a number and a query code (anonymous reporters a receipt code), follow
 * progress in plain words, answer the centre's questions, add evidence and rate the result online — the rating
 * runs the same `revisit` action as a phone call-back.
 */
export class PortalService {
  private readonly sessionKey: Buffer;
  private readonly receiptKey: Buffer;
  private readonly phoneKey: Buffer;
  private company: OrgUnit | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: PortalRepository,
    private readonly tickets: TicketRepository,
    private readonly intake: IntakeService,
    private readonly workflow: WorkflowService,
    private readonly attachments: AttachmentService,
    private readonly query: TicketQueryService,
    private readonly outbox: OutboxService,
    private readonly reference: ReferenceService,
    private readonly hooks: TicketHooks,
    private readonly cfg: ChannelsConfig['portal'],
    private readonly clock: Clock,
    secret: string,
  ) {
    this.sessionKey = deriveKey(secret, 'portal-session');
    this.receiptKey = deriveKey(secret, 'portal-receipt');
    this.phoneKey = deriveKey(secret, 'portal-phone');
  }

  private async portalCompany(): Promise<OrgUnit> {
    if (!this.company) {
      const c = await this.repo.portalCompany(this.cfg.companyCode);
      if (!c) throw new AppError('unavailable', '客户门户尚未开通，请拨打95598');
      this.company = c;
    }
    return this.company;
  }

  /**
   * The portal's pseudo-actor: the centre's intake and call-back rights within the portal company, and no user
   * behind it (events show the system). It exists only inside this service.
   */
  private async actor(): Promise<Actor> {
    const c = await this.portalCompany();
    return {
      kind: 'token',
      userId: null,
      tokenId: 0,
      username: 'system:portal',
      displayName: '客户门户',
      roles: ['agent'],
      unitId: c.id,
      unitPath: c.path,
      companyId: c.id,
      companyPath: c.path,
      sessionIdHash: null,
    };
  }

  /** The kinds, the class picker in plain words and the limits, for the portal page. */
  async meta() {
    const c = await this.portalCompany();
    const classes = (await this.reference.classes()).filter((x) => x.active && PORTAL_CLASS_WORDS[x.code]);
    return {
      company: c.name,
      kinds: PORTAL_KINDS.map((k) => ({
        ...k,
        classes: classes
          .filter((x) => classFitsKind(k.code, x) && (k.code === 'complaint' || k.code === 'report' || x.family !== 'report'))
          .map((x) => ({ code: x.code, label: PORTAL_CLASS_WORDS[x.code] as string })),
      })),
      ratings: [...PORTAL_RATINGS],
      limits: PORTAL_LIMITS,
    };
  }

  private async validate(s: PortalSubmission, photos: PortalFile[]): Promise<void> {
    if (s.website) throw bad('website', '提交未成功，请刷新页面后重试');
    if (!PORTAL_KINDS.some((k) => k.code === s.kind)) throw bad('kind', '请选择诉求类型');
    if (s.anonymous && s.kind !== 'report') throw bad('anonymous', '只有举报可以匿名提交');
    const d = (s.description ?? '').trim();
    if (d.length < PORTAL_LIMITS.descriptionMin) throw bad('description', `请把情况说清楚，至少${PORTAL_LIMITS.descriptionMin}个字`);
    if (d.length > PORTAL_LIMITS.descriptionMax) throw bad('description', `情况描述不能超过${PORTAL_LIMITS.descriptionMax}个字`);
    if (s.name && s.name.length > PORTAL_LIMITS.nameMax) throw bad('name', `姓名不能超过${PORTAL_LIMITS.nameMax}个字`);
    if (s.location && s.location.length > PORTAL_LIMITS.locationMax) throw bad('location', `地址不能超过${PORTAL_LIMITS.locationMax}个字`);
    if (s.phone && !isValidPhone(s.phone)) throw bad('phone', `电话号码格式不正确，${PHONE_RULE.zh}`);
    if (s.kind === 'complaint' && !s.phone) throw bad('phone', '投诉需要留下联系电话，方便我们联系您');
    if (s.account && !/^\d{6,20}$/.test(s.account)) throw bad('account', '户号应为6到20位数字');
    if (s.email && !EMAIL.test(s.email)) throw bad('email', '电子邮箱格式不正确');
    if (s.classCode) {
      const cls = (await this.reference.classes()).find((c) => c.code === s.classCode);
      if (!cls?.active || !classFitsKind(s.kind, cls)) throw bad('classCode', '请重新选择问题分类');
    }
    if (photos.length > PORTAL_LIMITS.maxPhotos) throw bad('photos', `最多上传${PORTAL_LIMITS.maxPhotos}张照片`);
    for (const p of photos) await this.checkImage(p);
  }

  private async checkImage(p: PortalFile): Promise<void> {
    if (p.data.length === 0) throw bad('photos', '照片文件是空的，请重新选择');
    if (p.data.length > PORTAL_LIMITS.maxPhotoBytes) throw new AppError('payload_too_large', '每张照片不能超过5MB', { field: 'photos' });
    const type = await fileTypeFromBuffer(p.data);
    if (!type || !IMAGE_TYPES.has(type.mime))
      throw new AppError('unsupported_media_type', '只能上传照片（JPG、PNG、GIF、WEBP、HEIC 格式）', { field: 'photos' });
  }

  private phoneHash(phone: string): string {
    return createHmac('sha256', this.phoneKey).update(phone).digest('hex');
  }

  /**
   * Files one submission. The order is committed by the intake transaction before anything else; the query code
   * or receipt, the contact for messages and the "accepted" SMS follow in a second transaction. With the same
   * Idempotency-Key a retry returns the same order (with a fresh code, since codes are stored only as hashes),
   * so a customer whose connection dropped never files twice and never loses the number.
   */
  async submit(s: PortalSubmission, photos: PortalFile[], idempotencyKey: string | null) {
    await this.validate(s, photos);
    const actor = await this.actor();
    const phone = normalisePhone(s.phone);
    const since = iso(new Date(this.clock().getTime() - 86_400_000));
    if (phone && (await this.repo.submissionsSince(this.phoneHash(phone), since)) >= this.cfg.phonePerDay)
      throw new AppError('rate_limited', '该电话号码今天提交次数过多，请明天再试，或拨打95598热线', { field: 'phone' });
    const isReport = s.kind === 'report';
    const anonymous = isReport && s.anonymous === true;
    const input: IntakeInput = {
      kind: s.kind,
      channel: s.channel === 'mobile' ? 'mobile' : 'web',
      classCode: s.classCode || null,
      description: s.description.trim(),
      location: s.location?.trim() || null,
      ...(anonymous
        ? { anonymous: true }
        : isReport
          ? { reporter: { name: s.name || null, phone, contact: s.email || null } }
          : { customer: { name: s.name || null, phone, account: s.account || null } }),
    };
    const r = await this.intake.intake(actor, input, idempotencyKey ? `portal:${idempotencyKey}` : null);
    const t = r.ticket;
    const queryCode = anonymous ? null : newQueryCode();
    const receiptCode = anonymous ? (r.receiptCode ?? randomCode(20)) : null;
    const at = iso(this.clock());
    await this.db.transaction().execute(async (trx) => {
      await this.repo.setSecrets(
        t.id,
        queryCode ? { query_hash: sha256(normaliseCode(queryCode)) } : { receipt_hash: sha256(receiptCode as string) },
        trx,
      );
      await this.outbox.saveContact(t.id, { phone, email: s.email || null }, trx);
      if (phone && !r.replayed) await this.repo.logSubmission(this.phoneHash(phone), t.id, at, trx);
      if (queryCode) await this.outbox.toCustomer(trx, t, 'accepted', { queryCode }, null);
    });
    if (!r.replayed) {
      for (const p of photos) await this.attachments.upload(actor, t.id, p);
    }
    const company = await this.portalCompany();
    return {
      number: t.number,
      kind: t.kind,
      kindLabel: label(KINDS, t.kind),
      filedAt: t.intake_at,
      queryCode,
      receiptCode,
      receipt: anonymous
        ? signReceipt(this.receiptKey, { number: t.number, filedAt: t.intake_at, description: t.description, issuer: company.name })
        : null,
      statusText: PORTAL_STATUS_TEXT.accepted,
      replayed: r.replayed,
    };
  }

  /**
   * Checks number + query code, or a receipt code; returns a short-lived session token for that one order. The
   * one code field of the tracking form sends `code`: with a number it is the query code, without one the receipt
   * code. Codes are forgiving: spaces, hyphens and case do not matter.
   */
  async login(c: {
    number?: string;
    queryCode?: string;
    receipt?: string;
    code?: string;
  }): Promise<{ token: string; ticket: Ticket; maxAgeSeconds: number }> {
    const number = c.number?.trim();
    const code = c.code?.trim();
    const queryCode = c.queryCode?.trim() || (number ? code : undefined);
    const receipt = c.receipt?.trim() || (!number ? code : undefined);
    let t: Ticket | undefined;
    if (receipt) {
      // Receipts issued before codes were capitals were case-sensitive: the exact text first, then the normal form.
      t = (await this.repo.findByReceiptHash(sha256(receipt))) ?? (await this.repo.findByReceiptHash(sha256(normaliseCode(receipt))));
      if (!t) throw new AppError('unauthenticated', '回执码不正确，请检查后重试', { field: 'code' });
    } else if (number && queryCode) {
      t = await this.repo.findByNumber(number.toUpperCase());
      const ok = t?.query_hash ? safeEqualHex(t.query_hash, sha256(normaliseCode(queryCode))) : false;
      if (!t || !ok) throw new AppError('unauthenticated', '工单号或查询码不正确，请检查后重试');
    } else {
      throw bad('queryCode', '请填写工单号和查询码，或匿名举报的回执码');
    }
    const exp = this.clock().getTime() + SESSION_MINUTES * 60_000;
    // A nonce makes each login's token its own, so that logging out one ends only that one.
    const payload = `${t.id}.${exp}.${randomToken(9)}`;
    const mac = createHmac('sha256', this.sessionKey).update(payload).digest('base64url');
    return { token: `${payload}.${mac}`, ticket: t, maxAgeSeconds: SESSION_MINUTES * 60 };
  }

  /** The order a session token grants, or 401. */
  async session(token: string | undefined): Promise<Ticket> {
    const id = this.validSession(token);
    if (id !== null && !(await this.repo.sessionRevoked(sha256(token as string)))) {
      const t = await this.tickets.find(id);
      if (t) return t;
    }
    throw new AppError('unauthenticated', '登录已过期，请重新输入工单号和查询码（或回执码）');
  }

  /** Ends a session token on the server, so that a copy of it stops working too (a shared or public computer). */
  async logout(token: string | undefined): Promise<void> {
    const exp = this.validSession(token) === null ? null : Number((token as string).split('.')[1]);
    if (exp !== null) await this.repo.revokeSession(sha256(token as string), iso(new Date(exp)), iso(this.clock()));
  }

  /** The order id of a well-signed, unexpired session token, or null. */
  private validSession(token: string | undefined): number | null {
    const parts = (token ?? '').split('.');
    if (parts.length !== 4) return null;
    const [id, exp, nonce, mac] = parts as [string, string, string, string];
    const expected = createHmac('sha256', this.sessionKey).update(`${id}.${exp}.${nonce}`).digest('base64url');
    if (!safeEqualHex(expected, mac) || !(Number(exp) > this.clock().getTime())) return null;
    return Number(id);
  }

  /** What the customer sees of the order: status and timeline in plain words, questions, the approved reply. */
  async progress(t: Ticket) {
    const state = t.state as StateCode;
    const status = portalStatus(state);
    const events = await this.tickets.events(t.id);
    const answers = events
      .filter((e) => e.action === 'reporter_answer')
      .map((e) => JSON.parse(e.input) as { text: string; questionSeq?: number });
    const questions = events
      .filter((e) => e.action === 'question')
      .map((e) => {
        const i = JSON.parse(e.input) as { text: string };
        return { seq: e.seq, at: e.at, text: i.text, answers: answers.filter((a) => a.questionSeq === e.seq).map((a) => a.text) };
      });
    const awaitingRating = (ACTIONS.revisit.from as readonly StateCode[]).includes(state);
    // The reply reaches the customer only after review (four eyes): approved and not re-opened since.
    const replyVisible = t.approved_at !== null && (awaitingRating || (!STATES[state].open && t.close_reason === 'completed'));
    const rating = PORTAL_RATINGS.find((r) => r.code === t.satisfaction);
    const att = await this.repo.attachmentCount(t.id);
    return {
      number: t.number,
      kind: t.kind,
      kindLabel: label(KINDS, t.kind),
      classLabel: t.class_code ? (PORTAL_CLASS_WORDS[t.class_code] ?? null) : null,
      anonymous: t.anonymous === 1,
      filedAt: t.intake_at,
      description: t.description,
      location: t.location,
      status,
      statusText: PORTAL_STATUS_TEXT[status],
      open: STATES[state].open,
      timeline: events.filter((e) => PORTAL_EVENT_TEXT[e.action]).map((e) => ({ at: e.at, text: PORTAL_EVENT_TEXT[e.action] as string })),
      questions,
      reply: replyVisible ? { text: t.reply_text, at: t.approved_at } : null,
      canRate: awaitingRating,
      rating: rating ? { outcome: rating.code, label: rating.zh } : null,
      attachments: Number(att?.n ?? 0),
    };
  }

  /** The online rating: runs `revisit` through the workflow with the portal actor (满意/基本满意 close; 不满意 re-opens). */
  async rate(t: Ticket, outcome: PortalRating, comment: string | null) {
    if (!PORTAL_RATINGS.some((r) => r.code === outcome)) throw bad('outcome', '请选择满意、基本满意或不满意');
    if (!(ACTIONS.revisit.from as readonly StateCode[]).includes(t.state as StateCode))
      throw new AppError('transition_not_allowed', '工单尚未答复或已评价，暂不能评价');
    const note = `客户网上评价：${PORTAL_RATINGS.find((r) => r.code === outcome)?.zh}${comment ? `。${comment}` : ''}`.slice(0, 2000);
    try {
      await this.workflow.act(await this.actor(), t.id, 'revisit', { version: t.version, outcome, note });
    } catch (err) {
      if (err instanceof AppError && err.code === 'ticket_changed')
        throw new AppError('ticket_changed', '工单状态刚刚发生变化，请刷新后重试');
      throw err;
    }
    return this.progress((await this.tickets.find(t.id)) as Ticket);
  }

  /** The customer answers a question of the centre; the asker is told in-app. */
  async answer(t: Ticket, text: string, questionSeq: number | null) {
    const body = text.trim();
    if (body.length === 0) throw bad('text', '请填写答复内容');
    if (body.length > PORTAL_LIMITS.answerMax) throw bad('text', `答复不能超过${PORTAL_LIMITS.answerMax}个字`);
    if (!STATES[t.state as StateCode].open) throw new AppError('transition_not_allowed', '工单已办结，不能再答复');
    const at = iso(this.clock());
    await this.db.transaction().execute(async (trx) => {
      const current = (await this.tickets.find(t.id, trx)) as Ticket;
      const events = await this.tickets.events(t.id, trx);
      const q =
        questionSeq === null
          ? events.filter((e) => e.action === 'question').at(-1)
          : events.find((e) => e.seq === questionSeq && e.action === 'question');
      if (questionSeq !== null && !q) throw bad('questionSeq', '没有找到这个问题');
      await applyWithEvent(
        this.tickets,
        this.hooks,
        trx,
        current,
        {},
        {
          action: 'reporter_answer',
          actorId: null,
          actorUnitId: null,
          to: current.state,
          input: { text: body, questionSeq: q?.seq ?? null, questionBy: q?.actor_id ?? null },
          at,
        },
      );
    });
    return this.progress((await this.tickets.find(t.id)) as Ticket);
  }

  /** The customer adds a photo as evidence. */
  async addEvidence(t: Ticket, file: PortalFile) {
    await this.checkImage(file);
    if (!STATES[t.state as StateCode].open) throw new AppError('transition_not_allowed', '工单已办结，不能再补充材料');
    const a = await this.attachments.upload(await this.actor(), t.id, file);
    return { id: a.id, name: a.name, size: a.size };
  }

  /** Staff ask the customer or reporter a question (visible on the portal; the state does not change). */
  async ask(actor: Actor, ticketId: number, text: string) {
    requirePermission(actor, 'ticket.note');
    const t = await this.query.load(actor, ticketId);
    if (!STATES[t.state as StateCode].open) throw new AppError('transition_not_allowed', 'The order is closed');
    const at = iso(this.clock());
    return this.db.transaction().execute(async (trx) => {
      const current = (await this.tickets.find(t.id, trx)) as Ticket;
      const after = await applyWithEvent(
        this.tickets,
        this.hooks,
        trx,
        current,
        {},
        {
          action: 'question',
          actorId: actor.userId,
          actorUnitId: actor.unitId,
          to: current.state,
          input: { text },
          at,
        },
      );
      return { seq: after.version, at, text };
    });
  }

  /** Checks a downloaded receipt: our signature, and that it matches the filing on record. */
  async verifyReceipt(r: SignedReceipt) {
    const valid = receiptSignatureValid(this.receiptKey, r);
    if (!valid) return { valid: false as const, message: '回执签名无效：该回执不是本系统出具的，或已被改动' };
    const t = await this.repo.findByNumber(r.number);
    const matches = t !== undefined && t.intake_at === r.filedAt && sha256(t.description) === r.contentHash;
    return {
      valid: true as const,
      matchesRecord: matches,
      number: r.number,
      filedAt: r.filedAt,
      message: matches ? '回执有效：提交时间和内容与系统记录一致' : '回执签名有效，但与系统当前记录不一致',
    };
  }
}
