import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { AttachmentRepository } from '../repositories/attachment.repository.ts';
import type { TicketRepository } from '../repositories/ticket.repository.ts';
import { type FileDownload, type FileStore, openStored, storeUpload, type UploadRule } from '../storage/file-store.ts';
import { type Actor, requirePermission } from './actor.ts';
import { applyWithEvent } from './event-writer.ts';
import type { TicketHooks } from './ticket-hooks.ts';
import type { TicketQueryService } from './ticket-query.service.ts';

export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/** Types accepted by their content (photos, scans, documents, call recordings). */
const ACCEPTED = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/heic',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'audio/mpeg',
  'audio/wav',
  'audio/x-wav',
  'audio/amr',
  'audio/mp4',
  'audio/x-m4a',
  'video/mp4',
]);

const RULE: UploadRule = {
  accepted: ACCEPTED,
  acceptedText: 'images, PDF, Word/Excel, audio, video',
  fallbackName: 'attachment',
  maxBytes: MAX_ATTACHMENT_BYTES,
};

/** Attachments: content-addressed files in the file store, typed by content, served only within scope. */
export class AttachmentService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly tickets: TicketRepository,
    private readonly attachments: AttachmentRepository,
    private readonly query: TicketQueryService,
    private readonly hooks: TicketHooks,
    private readonly clock: Clock,
    private readonly files: FileStore,
  ) {}

  /** Stores a file on an order the actor may see and records an `attach` event. */
  async upload(actor: Actor, ticketId: number, file: { name: string; data: Buffer }) {
    requirePermission(actor, 'ticket.note');
    const t = await this.query.load(actor, ticketId);
    const f = await storeUpload(this.files, file, RULE);
    const at = iso(this.clock());
    return this.db.transaction().execute(async (trx) => {
      const current = (await this.tickets.find(t.id, trx)) ?? t;
      const id = await this.attachments.insert(
        { ticket_id: t.id, sha256: f.sha256, size: f.size, mime: f.mime, name: f.name, uploaded_by: actor.userId, created_at: at },
        trx,
      );
      await applyWithEvent(
        this.tickets,
        this.hooks,
        trx,
        current,
        {},
        {
          action: 'attach',
          actorId: actor.userId,
          actorUnitId: actor.unitId,
          to: current.state,
          input: { attachmentId: id, name: f.name, mime: f.mime, size: f.size },
          at,
        },
      );
      return { id, name: f.name, mime: f.mime, size: f.size, createdAt: at };
    });
  }

  /** Opens an attachment for download if the actor may see its order (404 otherwise). */
  async download(actor: Actor, attachmentId: number): Promise<FileDownload> {
    const a = await this.attachments.find(attachmentId);
    if (!a) throw new AppError('not_found', 'Attachment not found');
    await this.query.load(actor, a.ticket_id);
    return openStored(this.files, a);
  }
}
