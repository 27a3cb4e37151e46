import { createReadStream, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AppError, invalidField } from '../errors.ts';
import { randomToken, sha256 } from '../lib/crypto.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { TicketRepository } from '../repositories/ticket.repository.ts';
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

/** A file name without path separators or control characters, at most 200 characters. */
function safeName(name: string): string {
  return [...name]
    .map((ch) => (ch === '/' || ch === '\\' || ch.charCodeAt(0) < 0x20 ? '_' : ch))
    .join('')
    .slice(0, 200);
}

/** Attachments: content-addressed files under the data dir, typed by content, served only within scope. */
export class AttachmentService {
  private readonly root: string;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly tickets: TicketRepository,
    private readonly query: TicketQueryService,
    private readonly hooks: TicketHooks,
    private readonly clock: Clock,
    dataDir: string,
  ) {
    this.root = join(dataDir, 'attachments');
  }

  private pathOf(hash: string): string {
    return join(this.root, hash.slice(0, 2), hash.slice(2, 4), hash);
  }

  /** Stores a file on an order the actor may see and records an `attach` event. */
  async upload(actor: Actor, ticketId: number, file: { name: string; data: Buffer }) {
    requirePermission(actor, 'ticket.note');
    const t = await this.query.load(actor, ticketId);
    if (file.data.length === 0) throw invalidField('file', 'is empty');
    if (file.data.length > MAX_ATTACHMENT_BYTES) throw new AppError('payload_too_large', 'Attachments may have at most 20 MB');
    const type = await fileTypeFromBuffer(file.data);
    if (!type || !ACCEPTED.has(type.mime)) {
      throw new AppError(
        'unsupported_media_type',
        `File content is ${type?.mime ?? 'unknown'}; accepted: images, PDF, Word/Excel, audio, video`,
        { field: 'file' },
      );
    }
    const hash = sha256(file.data);
    const path = this.pathOf(hash);
    if (!existsSync(path)) {
      mkdirSync(join(this.root, hash.slice(0, 2), hash.slice(2, 4)), { recursive: true });
      // Write to a temp name then rename, so a crash never leaves a half file under the final name.
      const tmp = `${path}.${randomToken(6)}.tmp`;
      writeFileSync(tmp, file.data);
      renameSync(tmp, path);
    }
    const at = iso(this.clock());
    const name = safeName(file.name) || `attachment.${type.ext}`;
    return this.db.transaction().execute(async (trx) => {
      const current = (await this.tickets.find(t.id, trx)) ?? t;
      const id = await this.tickets.insertAttachment(
        { ticket_id: t.id, sha256: hash, size: file.data.length, mime: type.mime, name, uploaded_by: actor.userId, created_at: at },
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
          input: { attachmentId: id, name, mime: type.mime, size: file.data.length },
          at,
        },
      );
      return { id, name, mime: type.mime, size: file.data.length, createdAt: at };
    });
  }

  /** Opens an attachment for download if the actor may see its order (404 otherwise). */
  async download(actor: Actor, attachmentId: number) {
    const a = await this.tickets.findAttachment(attachmentId);
    if (!a) throw new AppError('not_found', 'Attachment not found');
    await this.query.load(actor, a.ticket_id);
    return { name: a.name, mime: a.mime, size: a.size, stream: createReadStream(this.pathOf(a.sha256)) };
  }
}
